"use client";
/**
 * The workspace sidebar: switcher and connection state, channels, direct messages, and the way to
 * settings, profile and sign-out. The "+" buttons open the workspace dialogs.
 */
import { useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import { memo, useCallback, useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import { IntentLink } from "@/components/ui/intent-link";
import { useChat } from "@/components/chat/chat-provider";
import { isDirectMessage } from "@/components/chat/channel-identity";
import { ConnectionIndicator } from "@/components/chat/connection-indicator";
import { getConversationHref, switchConversationInPlace } from "@/components/chat/conversation-location";
import { usePrefetchLikelyConversations } from "@/components/chat/conversation-prefetch";
import { PlusIcon, SearchIcon, SettingsIcon } from "@/components/chat/icons";
import { SidebarItem } from "@/components/chat/sidebar-item";
import { WorkspaceSwitcher } from "@/components/chat/workspace-switcher";
import { useWorkspace } from "@/components/workspace/queries";
import { SignOutButton } from "@/components/workspace/sign-out-button";
import { useHasOpened } from "@/components/ui/use-has-opened";
import type { TChannelView } from "@/lib/channels/schema";
import { queryKeys } from "@/lib/client/query-keys";
import { useSidebarChannels } from "@/lib/client/queries";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

type TOpenDialog = "create-channel" | "browse-channels" | "new-dm" | null;

// The dialogs' code (forms, people pickers, the channel schema's zod) loads when each is first
// opened, not with the page. Memoised: the sidebar re-renders on every conversation switch (the
// active item changes); the closed dialogs and the other items need not.
const CreateChannelDialog = memo(dynamic(() => import("@/components/workspace/create-channel-dialog").then((m) => m.CreateChannelDialog), { ssr: false }));
const BrowseChannelsDialog = memo(dynamic(() => import("@/components/workspace/browse-channels-dialog").then((m) => m.BrowseChannelsDialog), { ssr: false }));
const NewDmDialog = memo(dynamic(() => import("@/components/workspace/new-dm-dialog").then((m) => m.NewDmDialog), { ssr: false }));

/** #general first, then by name in the reader's language order (中文 included). */
function sortChannels(channels: TChannelView[]): TChannelView[] {
  return channels.toSorted((a, b) => Number(b.isGeneral) - Number(a.isGeneral) || (a.name ?? "").localeCompare(b.name ?? ""));
}

/** Most recent conversation first, like Slack. */
function sortDirectMessages(channels: TChannelView[]): TChannelView[] {
  return channels.toSorted((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt));
}

function SectionHeader({ title, actionLabel, onAction }: { title: string; actionLabel: string; onAction: () => void }) {
  return (
    <div className="group flex h-7 items-center justify-between px-2 text-[13px] font-medium text-white/60">
      <h2>{title}</h2>
      <button type="button" aria-label={actionLabel} title={actionLabel} onClick={onAction} className="rounded p-1 text-white/70 hover:bg-white/15 hover:text-white focus-visible:outline-2 focus-visible:outline-white/60">
        <PlusIcon className="size-3.5" />
      </button>
    </div>
  );
}

export function Sidebar({ slug }: { slug: string }) {
  const { me, openChannelId } = useChat();
  const router = useRouter();
  const queryClient = useQueryClient();
  const workspace = useWorkspace(slug);
  const channelsQuery = useSidebarChannels(slug);
  const [openDialog, setOpenDialog] = useState<TOpenDialog>(null);
  usePrefetchLikelyConversations(slug, openChannelId);

  const all = channelsQuery.data ?? [];
  const channels = sortChannels(all.filter((c) => !isDirectMessage(c)));
  const directMessages = sortDirectMessages(all.filter(isDirectMessage));

  const openConversation = useCallback(
    (channelId: string) => {
      setOpenDialog(null);
      void refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
      if (!switchConversationInPlace(slug, channelId)) router.push(getConversationHref(slug, channelId));
    },
    [queryClient, router, slug],
  );
  const closeDialog = useCallback(() => setOpenDialog(null), []);
  const hasOpenedCreate = useHasOpened(openDialog === "create-channel");
  const hasOpenedBrowse = useHasOpened(openDialog === "browse-channels");
  const hasOpenedNewDm = useHasOpened(openDialog === "new-dm");

  return (
    <nav aria-label="Workspace" className="flex h-full flex-col bg-[#3f0e40] text-white">
      <div className="flex h-14 shrink-0 items-center gap-2 border-b border-white/10 px-3">
        <WorkspaceSwitcher slug={slug} name={workspace.data?.name} />
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 py-3">
        <ConnectionIndicator className="mb-3 px-2 text-white/60" />
        <section aria-label="Channels" className="mb-4">
          <SectionHeader title="Channels" actionLabel="Create channel" onAction={() => setOpenDialog("create-channel")} />
          {channelsQuery.isPending && <p className="px-2 py-1 text-sm text-white/50">Loading…</p>}
          {channelsQuery.isError && (
            <button type="button" onClick={() => void channelsQuery.refetch()} className="px-2 py-1 text-sm text-amber-200 underline">
              Could not load channels. Retry
            </button>
          )}
          <ul>
            {channels.map((c) => (
              <li key={c.id}>
                <SidebarItem slug={slug} channel={c} myName={me.name} isActive={c.id === openChannelId} />
              </li>
            ))}
          </ul>
          <button type="button" onClick={() => setOpenDialog("browse-channels")} className="flex h-8 w-full items-center gap-2 rounded-md px-2 text-[15px] text-white/70 hover:bg-white/10">
            <SearchIcon className="size-4 opacity-70" />
            Browse channels
          </button>
        </section>
        <section aria-label="Direct messages">
          <SectionHeader title="Direct messages" actionLabel="New direct message" onAction={() => setOpenDialog("new-dm")} />
          <ul>
            {directMessages.map((c) => (
              <li key={c.id}>
                <SidebarItem slug={slug} channel={c} myName={me.name} isActive={c.id === openChannelId} />
              </li>
            ))}
          </ul>
          {channelsQuery.isSuccess && directMessages.length === 0 && <p className="px-2 py-1 text-sm text-white/50">No direct messages yet.</p>}
        </section>
      </div>
      <div className="shrink-0 space-y-1 border-t border-white/10 p-2">
        <IntentLink href={`/w/${encodeURIComponent(slug)}/settings`} className="flex h-8 items-center gap-2 rounded-md px-2 text-[15px] text-white/70 hover:bg-white/10 hover:text-white">
          <SettingsIcon className="size-4" />
          Workspace settings
        </IntentLink>
        <div className="flex items-center gap-2 px-1">
          <IntentLink href="/profile" className="flex min-w-0 flex-1 items-center gap-2 rounded-md p-1 hover:bg-white/10" title="Your profile">
            <Avatar name={me.name} seed={me.id} size="sm" />
            <span className="truncate text-sm font-medium">{me.name}</span>
          </IntentLink>
          <SignOutButton variant="ghost" className="text-white/70! hover:bg-white/10! hover:text-white!" />
        </div>
      </div>
      {hasOpenedCreate && <CreateChannelDialog slug={slug} open={openDialog === "create-channel"} onClose={closeDialog} onCreated={openConversation} />}
      {hasOpenedBrowse && <BrowseChannelsDialog slug={slug} open={openDialog === "browse-channels"} onClose={closeDialog} onOpenChannel={openConversation} />}
      {hasOpenedNewDm && <NewDmDialog slug={slug} open={openDialog === "new-dm"} onClose={closeDialog} onOpened={openConversation} />}
    </nav>
  );
}
