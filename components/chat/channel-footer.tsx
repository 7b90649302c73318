"use client";
/**
 * What sits below the messages: the composer, or why there is none (archived, not a member of a
 * public channel → Join, announcement channel without posting rights). Warns while reconnecting.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useChat } from "@/components/chat/chat-provider";
import { getChannelTitle, getComposerPlaceholder } from "@/components/chat/channel-identity";
import { Composer } from "@/components/chat/composer";
import { ArchiveIcon, MegaphoneIcon } from "@/components/chat/icons";
import type { TChannelView } from "@/lib/channels/schema";
import { joinChannel } from "@/lib/client/message-actions";
import { queryKeys } from "@/lib/client/query-keys";
import { useConnectionState } from "@/lib/client/realtime";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

function Notice({ icon, children }: { icon: React.ReactNode; children: React.ReactNode }) {
  return (
    <div role="note" className="mx-4 mb-4 flex items-center justify-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-4 py-4 text-center text-[15px] text-slate-600 sm:mx-5">
      {icon}
      <div>{children}</div>
    </div>
  );
}

function JoinBar({ channel, title }: { channel: TChannelView; title: string }) {
  const { slug, channelSync } = useChat();
  const queryClient = useQueryClient();
  const [isJoining, setJoining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const join = async () => {
    setJoining(true);
    setError(null);
    try {
      await joinChannel(channel.id);
      await Promise.all([refreshAfterChange(queryClient, queryKeys.channel(channel.id)), refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug))]);
      // Events reach us only from now on: fetch anything posted since the page was read.
      void channelSync.catchUp(channel.id).catch(() => undefined);
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not join");
    } finally {
      setJoining(false);
    }
  };
  return (
    <div data-testid="join-bar" className="mx-4 mb-4 flex flex-col items-center gap-2 rounded-lg border border-slate-200 bg-slate-50 px-4 py-4 text-center sm:mx-5">
      <p className="text-[15px] text-slate-700">
        You are viewing <span className="font-bold">#{title}</span>
        {channel.topic ? ` · ${channel.topic}` : ""}
      </p>
      <Button onClick={() => void join()} isLoading={isJoining} className="bg-[#007a5a]! hover:bg-[#006c4f]!">
        Join channel
      </Button>
      {error && <p role="alert" className="text-sm text-red-600">{error}</p>}
    </div>
  );
}

function ReconnectingBanner() {
  const state = useConnectionState();
  if (state !== "reconnecting") return null;
  return (
    <p role="status" className="mx-4 mb-1 rounded-md bg-amber-50 px-3 py-1 text-xs text-amber-800 sm:mx-5">
      Connection lost. Reconnecting… Messages you send are kept and delivered once you are back.
    </p>
  );
}

export function ChannelFooter({ channel }: { channel: TChannelView }) {
  const { me } = useChat();
  const title = getChannelTitle(channel, me.name);
  if (channel.archivedAt) {
    return (
      <Notice icon={<ArchiveIcon className="size-5" />}>
        <span data-testid="archived-notice">
          <b>#{title}</b> is archived. It is read-only.
        </span>
      </Notice>
    );
  }
  if (!channel.isMember) return <JoinBar channel={channel} title={title} />;
  if (!channel.canPost) {
    return (
      <Notice icon={<MegaphoneIcon className="size-5" />}>
        <span data-testid="announcement-notice">
          Only admins and designated posters can post in <b>#{title}</b>.
        </span>
      </Notice>
    );
  }
  return (
    <>
      <ReconnectingBanner />
      <Composer channelId={channel.id} placeholder={getComposerPlaceholder(channel, me.name)} />
    </>
  );
}
