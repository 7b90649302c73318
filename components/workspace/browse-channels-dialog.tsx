"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/form-errors";
import { Input } from "@/components/ui/input";
import { LoadingRow } from "@/components/ui/spinner";
import { isUnauthorized, queryKeys, redirectToLogin, useBrowseChannels } from "@/components/workspace/queries";
import { matchesSearch } from "@/components/workspace/search-text";
import type { TChannelView } from "@/lib/channels/schema";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

function describeMemberCount(count: number): string {
  return count === 1 ? "1 member" : `${count.toLocaleString()} members`;
}

/** Open channels first, then by name in the reader's language order. */
function sortForBrowsing(channels: TChannelView[]): TChannelView[] {
  return [...channels].sort((a, b) => Number(!!a.archivedAt) - Number(!!b.archivedAt) || (a.name ?? "").localeCompare(b.name ?? ""));
}

function ChannelRow({ channel, isJoining, onJoin, onOpen }: { channel: TChannelView; isJoining: boolean; onJoin: () => void; onOpen: () => void }) {
  const summary = channel.topic || channel.description;
  return (
    <li className="flex items-center gap-3 px-4 py-3">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-1.5">
          <span className="truncate text-[15px] font-bold text-slate-900">#{channel.name}</span>
          {channel.kind === "ANNOUNCEMENT" && <Badge tone="blue">Announcement</Badge>}
          {channel.archivedAt && <Badge tone="amber">Archived</Badge>}
        </div>
        <p className="mt-0.5 truncate text-sm text-slate-500">
          {channel.isMember && <span className="font-medium text-emerald-700">Joined · </span>}
          {describeMemberCount(channel.memberCount)}
          {summary && <> · {summary}</>}
        </p>
      </div>
      {channel.isMember || channel.archivedAt ? (
        <Button variant="secondary" size="sm" onClick={onOpen} aria-label={`Open #${channel.name}`}>
          Open
        </Button>
      ) : (
        <Button size="sm" onClick={onJoin} isLoading={isJoining} aria-label={`Join #${channel.name}`}>
          Join
        </Button>
      )}
    </li>
  );
}

/** Lists the channels anyone may join, with a search box; joining opens the channel. */
export function BrowseChannelsDialog({ slug, open, onClose, onOpenChannel }: { slug: string; open: boolean; onClose: () => void; onOpenChannel: (channelId: string) => void }) {
  const queryClient = useQueryClient();
  const channels = useBrowseChannels(slug, { enabled: open });
  const [search, setSearch] = useState("");
  const [joiningId, setJoiningId] = useState<string | null>(null);
  const [error, setError] = useState<string>();

  async function join(channel: TChannelView) {
    setJoiningId(channel.id);
    setError(undefined);
    try {
      await api(`/api/channels/${encodeURIComponent(channel.id)}/join`, { method: "POST" });
      await refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
      onOpenChannel(channel.id);
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      setError(describeError(err));
    } finally {
      setJoiningId(null);
    }
  }

  const visible = sortForBrowsing((channels.data ?? []).filter((c) => matchesSearch(search, c.name, c.topic, c.description)));

  return (
    <Dialog open={open} onClose={onClose} title="Browse channels" size="lg">
      <div className="space-y-3">
        <Input type="search" aria-label="Search channels" placeholder="Search by name or description" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus />
        {error && <Alert>{error}</Alert>}
        {channels.isPending ? (
          <LoadingRow label="Loading channels…" />
        ) : channels.error ? (
          <Alert title="Could not load channels">{describeError(channels.error)}</Alert>
        ) : visible.length === 0 ? (
          <p className="py-8 text-center text-sm text-slate-500">{search ? `No channels match “${search}”.` : "There are no channels to browse yet."}</p>
        ) : (
          <ul aria-label="Channels" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
            {visible.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} isJoining={joiningId === channel.id} onJoin={() => join(channel)} onOpen={() => onOpenChannel(channel.id)} />
            ))}
          </ul>
        )}
      </div>
    </Dialog>
  );
}
