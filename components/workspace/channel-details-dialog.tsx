"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { ChannelAboutPanel } from "@/components/workspace/channel-about-panel";
import { ChannelMembersPanel } from "@/components/workspace/channel-members-panel";
import { getChannelTitle } from "@/components/workspace/channel-title";
import { useChannel, useMe, useMyWorkspaces } from "@/components/workspace/queries";
import type { TChannelView } from "@/lib/channels/schema";

type TTab = "about" | "members";

const kindBadges: Partial<Record<TChannelView["kind"], React.ReactNode>> = {
  PRIVATE: <Badge>Private</Badge>,
  ANNOUNCEMENT: <Badge tone="blue">Announcement</Badge>,
};

function Tabs({ tab, onChange, memberCount }: { tab: TTab; onChange: (tab: TTab) => void; memberCount: number }) {
  const tabs: { id: TTab; label: string }[] = [
    { id: "about", label: "About" },
    { id: "members", label: `Members (${memberCount})` },
  ];
  return (
    <div role="tablist" aria-label="Channel details" className="mb-4 flex gap-4 border-b border-slate-200">
      {tabs.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`channel-tab-${t.id}`}
          aria-selected={tab === t.id}
          aria-controls={`channel-panel-${t.id}`}
          onClick={() => onChange(t.id)}
          className={cn("-mb-px border-b-2 px-1 pb-2 text-sm font-semibold", tab === t.id ? "border-[#1264a3] text-slate-900" : "border-transparent text-slate-500 hover:text-slate-800")}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** A conversation's details: about (name, topic, description, archive, leave) and its members. */
export function ChannelDetailsDialog({ channelId, open, onClose }: { channelId: string; open: boolean; onClose: () => void }) {
  const channel = useChannel(channelId, { enabled: open });
  // The channel knows its workspace by id; my workspace list gives its slug and my role there.
  const myWorkspaces = useMyWorkspaces({ enabled: open });
  const me = useMe();
  const [tab, setTab] = useState<TTab>("about");
  const workspace = myWorkspaces.data?.find((w) => w.id === channel.data?.workspaceId);

  const title = channel.data ? (
    <span className="inline-flex flex-wrap items-center gap-2">
      <span className="break-all">{getChannelTitle(channel.data)}</span>
      {kindBadges[channel.data.kind]}
      {channel.data.archivedAt && <Badge tone="amber">Archived</Badge>}
    </span>
  ) : (
    "Channel details"
  );

  return (
    <Dialog open={open} onClose={onClose} title={title} size="lg">
      {channel.isPending ? (
        <LoadingRow />
      ) : channel.error ? (
        <Alert title="Could not load this conversation">{describeError(channel.error)}</Alert>
      ) : (
        <>
          <Tabs tab={tab} onChange={setTab} memberCount={channel.data.memberCount} />
          <div role="tabpanel" id={`channel-panel-${tab}`} aria-labelledby={`channel-tab-${tab}`}>
            {tab === "about" ? (
              <ChannelAboutPanel channel={channel.data} workspace={workspace} onLeft={onClose} />
            ) : (
              <ChannelMembersPanel channel={channel.data} workspace={workspace} myUserId={me.data?.id} />
            )}
          </div>
        </>
      )}
    </Dialog>
  );
}
