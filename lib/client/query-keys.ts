/**
 * The react-query keys the chat screens own. Socket events update or invalidate these and the
 * prefixes below; the forms screens' keys (components/workspace/queries.ts) nest under the same
 * prefixes (["workspace", slug, …], ["channel", id, …]) so one invalidation reaches both.
 */
export const queryKeys = {
  me: ["me"] as const,
  /** Prefix of every workspace list and detail. */
  allWorkspaces: ["workspaces"] as const,
  allWorkspaceDetails: ["workspace"] as const,
  /** The sidebar: my conversations in a workspace, with unread counts (TChannelView[]). */
  sidebarChannels: (slug: string) => ["channels", slug] as const,
  /** Prefix of every sidebar list, whatever the workspace (socket events carry ids, not slugs). */
  allSidebarChannels: ["channels"] as const,
  /** Prefix of everything cached about one conversation (details, members). */
  channel: (channelId: string) => ["channel", channelId] as const,
  /** A conversation's timeline (lib/client/timeline.ts). */
  timeline: (channelId: string) => ["timeline", channelId] as const,
  allTimelines: ["timeline"] as const,
  /** An open thread (lib/client/thread.ts), by its root's id. */
  thread: (rootId: string) => ["thread", rootId] as const,
  allThreads: ["thread"] as const,
  /** A conversation's pinned messages; nested under the conversation's prefix. */
  pins: (channelId: string) => ["channel", channelId, "pins"] as const,
};
