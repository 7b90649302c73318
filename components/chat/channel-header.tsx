"use client";
/** The bar above a conversation: its name (or the people in a DM), topic, member count and details. */
import { ChannelGlyph, getChannelTitle, isDirectMessage } from "@/components/chat/channel-identity";
import { InfoIcon, UsersIcon } from "@/components/chat/icons";
import { PinnedMessagesButton } from "@/components/chat/pins";
import { OpenNavButton } from "@/components/chat/workspace-shell";
import type { TChannelView } from "@/lib/channels/schema";

export function ChannelHeader({ channel, myName, onOpenDetails }: { channel: TChannelView; myName: string; onOpenDetails: () => void }) {
  const title = getChannelTitle(channel, myName);
  return (
    <header className="flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 bg-white px-4">
      <OpenNavButton />
      <button type="button" onClick={onOpenDetails} className="flex min-w-0 shrink items-center gap-1.5 rounded-md px-1.5 py-1 hover:bg-slate-100" aria-label={`${title}: channel details`}>
        <ChannelGlyph channel={channel} className="size-[18px] text-slate-700" />
        <h1 data-testid="channel-title" className="truncate text-lg font-bold text-slate-900">
          {title}
        </h1>
      </button>
      {channel.topic && (
        <p data-testid="channel-topic" title={channel.topic} className="hidden min-w-0 flex-1 truncate border-l border-slate-200 pl-3 text-sm text-slate-500 sm:block">
          {channel.topic}
        </p>
      )}
      <div className="ml-auto flex shrink-0 items-center gap-1">
        <PinnedMessagesButton channel={channel} />
        {!isDirectMessage(channel) && (
          <button
            type="button"
            onClick={onOpenDetails}
            aria-label={`${channel.memberCount} members`}
            title="Members"
            className="flex items-center gap-1.5 rounded-md border border-slate-200 px-2 py-1 text-sm text-slate-700 hover:bg-slate-50"
          >
            <UsersIcon />
            <span data-testid="member-count">{channel.memberCount.toLocaleString()}</span>
          </button>
        )}
        <button type="button" onClick={onOpenDetails} aria-label="Channel details" title="Channel details" className="rounded-md p-1.5 text-slate-600 hover:bg-slate-100">
          <InfoIcon className="size-5" />
        </button>
      </div>
    </header>
  );
}
