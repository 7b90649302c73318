/**
 * Addresses of the API reads a workspace page needs before it can draw a conversation. The server
 * names them in the page as preloads (`preloadApiReads`), so the browser fetches them while the
 * scripts load instead of after; the client's fetch() of the same address then takes the preloaded
 * answer. Both sides build them here, so they cannot drift apart (a preload nobody takes is a wasted
 * request: a journey in e2e/chat.spec.ts checks each is asked for once).
 */
import { preload } from "react-dom";
import { HISTORY_PAGE_SIZE } from "@/lib/messages/limits";

export const apiPaths = {
  me: "/api/me",
  workspace: (slug: string) => `/api/workspaces/${encodeURIComponent(slug)}`,
  sidebarChannels: (slug: string) => `/api/workspaces/${encodeURIComponent(slug)}/channels`,
  channel: (channelId: string) => `/api/channels/${encodeURIComponent(channelId)}`,
  newestPage: (channelId: string) => `/api/channels/${encodeURIComponent(channelId)}/messages?limit=${HISTORY_PAGE_SIZE}`,
};

/**
 * From a server component: `<link rel="preload" as="fetch">` for these reads. `crossOrigin:
 * "anonymous"` gives the preload the mode and credentials of our same-origin fetch() calls, which
 * the browser requires before it hands a preloaded answer to a fetch.
 */
export function preloadApiReads(paths: readonly string[]): void {
  for (const path of paths) preload(path, { as: "fetch", crossOrigin: "anonymous" });
}
