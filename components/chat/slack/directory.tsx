"use client";
/**
 * Names for Slack tokens in messages: <@id> → the member's name, <#id> → the channel's name and
 * link. Read from the caches the workspace screen already fills (members, my conversations);
 * messages rendered outside a provider (tests, previews) fall back to the token's own label.
 */
import { createContext, useContext, useMemo } from "react";
import { useSidebarChannels } from "@/lib/client/queries";
import { useMembers } from "@/components/workspace/queries";

export type TSlackDirectory = {
  /** The workspace slug, for channel links; null when links cannot be built. */
  slug: string | null;
  meId: string | null;
  userName: (id: string) => string | null;
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
  const members = useMembers(slug);
  const channels = useSidebarChannels(slug);
  const directory = useMemo<TSlackDirectory>(() => {
    const users = new Map((members.data ?? []).map((member) => [member.userId, member.name]));
    const channelNames = new Map((channels.data ?? []).filter((channel) => channel.name).map((channel) => [channel.id, channel.name!]));
    return { slug, meId, userName: (id) => users.get(id) ?? null, channelName: (id) => channelNames.get(id) ?? null };
  }, [slug, meId, members.data, channels.data]);
  return <SlackDirectoryContext.Provider value={directory}>{children}</SlackDirectoryContext.Provider>;
}
