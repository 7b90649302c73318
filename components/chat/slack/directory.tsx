"use client";
/**
 * Names for Slack tokens in messages: <@id> → the member's name (looked up by id, batched with the
 * rest of the screen's: components/workspace/queries.ts), <#id> → the channel's name and link, from
 * my conversations, which the sidebar already holds. Messages rendered outside a provider fall back
 * to the token's own label.
 */
import { createContext, useContext, useMemo } from "react";
import { useSidebarChannels } from "@/lib/client/queries";

export type TSlackDirectory = {
  /** The workspace slug, for channel links and looking members up; null when neither can be done. */
  slug: string | null;
  meId: string | null;
  /** Fixed names (tests, previews); without it, mentioned members are looked up by id in the workspace. */
  userName?: (id: string) => string | null;
  channelName: (id: string) => string | null;
};

export const SlackDirectoryContext = createContext<TSlackDirectory | null>(null);

/** The directory of the current workspace screen, or null outside one. */
export function useSlackDirectory(): TSlackDirectory | null {
  return useContext(SlackDirectoryContext);
}

/** A directory from fixed lists (tests, previews). */
export function createStaticDirectory(options: { slug?: string; meId?: string; users?: Record<string, string>; channels?: Record<string, string> }): TSlackDirectory {
  return {
    slug: options.slug ?? null,
    meId: options.meId ?? null,
    userName: (id) => options.users?.[id] ?? null,
    channelName: (id) => options.channels?.[id] ?? null,
  };
}

/** Provides the directory for one workspace screen (inside the chat shell). */
export function SlackDirectoryProvider({ slug, meId, children }: { slug: string; meId: string; children: React.ReactNode }) {
  const channels = useSidebarChannels(slug);
  const directory = useMemo<TSlackDirectory>(() => {
    const channelNames = new Map((channels.data ?? []).filter((channel) => channel.name).map((channel) => [channel.id, channel.name!]));
    return { slug, meId, channelName: (id) => channelNames.get(id) ?? null };
  }, [slug, meId, channels.data]);
  return <SlackDirectoryContext.Provider value={directory}>{children}</SlackDirectoryContext.Provider>;
}
