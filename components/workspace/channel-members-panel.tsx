"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/form-errors";
import { Input } from "@/components/ui/input";
import { LoadingRow } from "@/components/ui/spinner";
import { useDebounced } from "@/components/ui/use-debounced";
import { isDirectMessage } from "@/components/workspace/channel-title";
import { PeoplePicker } from "@/components/workspace/people-picker";
import { SEARCH_DELAY_MS, useChannelMemberSearch } from "@/components/workspace/queries";
import { useChannelChanges } from "@/components/workspace/use-channel-changes";
import type { TChannelMember, TChannelView } from "@/lib/channels/schema";
import { emojiFromName } from "@/lib/emoji";
import { can } from "@/lib/permissions";
import type { TMyWorkspace } from "@/lib/workspaces/schema";

function AddPeopleForm({ channel, workspace, onDone }: { channel: TChannelView; workspace: TMyWorkspace; onDone: () => void }) {
  const sendChange = useChannelChanges(channel.id);
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [isAdding, setAdding] = useState(false);
  const [error, setError] = useState<string>();

  async function addPeople() {
    setAdding(true);
    setError(undefined);
    try {
      await sendChange(`/api/channels/${encodeURIComponent(channel.id)}/members`, { method: "POST", body: { userIds: selectedIds } });
      onDone();
    } catch (err) {
      setError(describeError(err));
      setAdding(false);
    }
  }

  return (
    <div className="space-y-3">
      <h3 className="text-base font-semibold text-slate-900">Add people to {channel.name ? `#${channel.name}` : "this conversation"}</h3>
      {error && <Alert>{error}</Alert>}
      <PeoplePicker slug={workspace.slug} notInChannel={channel.id} selectedIds={selectedIds} onChange={setSelectedIds} searchLabel="Search people to add" autoFocus />
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone} disabled={isAdding}>
          Cancel
        </Button>
        <Button onClick={addPeople} disabled={selectedIds.length === 0} isLoading={isAdding}>
          Add {selectedIds.length > 0 ? selectedIds.length : ""} {selectedIds.length === 1 ? "person" : "people"}
        </Button>
      </div>
    </div>
  );
}

function PosterToggle({ channelId, member }: { channelId: string; member: TChannelMember }) {
  const sendChange = useChannelChanges(channelId);
  // Shown at once; the server's answer (refetched) takes over when it arrives.
  const [pendingValue, setPendingValue] = useState<boolean | null>(null);
  const [error, setError] = useState<string>();
  const isPoster = pendingValue ?? member.isPoster;
  const toggle = async () => {
    setPendingValue(!isPoster);
    setError(undefined);
    try {
      await sendChange(`/api/channels/${encodeURIComponent(channelId)}/members/${encodeURIComponent(member.userId)}`, { method: "PATCH", body: { isPoster: !isPoster } });
    } catch (err) {
      setError(describeError(err));
    } finally {
      setPendingValue(null);
    }
  };
  return (
    <div className="flex flex-col items-end">
      <label className="flex items-center gap-1.5 text-sm whitespace-nowrap text-slate-700">
        <input type="checkbox" checked={isPoster} disabled={pendingValue !== null} onChange={toggle} className="size-4 accent-[#1264a3]" aria-label={`${member.name} can post`} />
        Can post
      </label>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** The people in a conversation: add (members), remove (creator or admins), name announcement posters (admins). */
export function ChannelMembersPanel({ channel, workspace, myUserId }: { channel: TChannelView; workspace: TMyWorkspace | undefined; myUserId?: string }) {
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const members = useChannelMemberSearch(channel.id, query);
  const canNamePosters = channel.kind === "ANNOUNCEMENT" && !!workspace && can(workspace.role, "messages.post_announcement");
  const sendChange = useChannelChanges(channel.id);
  const [isAdding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TChannelMember | null>(null);
  const [isRemoving, setIsRemoving] = useState(false);
  const [removeError, setRemoveError] = useState<string>();

  if (members.isPending) return <LoadingRow label="Loading members…" />;
  if (members.error) return <Alert title="Could not load members">{describeError(members.error)}</Alert>;

  const isDm = isDirectMessage(channel);
  const role = workspace?.role;
  const canAdd = !!workspace && !!role && channel.isMember && !isDm && !channel.archivedAt && can(role, "channels.add_members");
  const canRemove = channel.canManage && !channel.isGeneral && !isDm;

  if (isAdding && workspace) {
    return <AddPeopleForm channel={channel} workspace={workspace} onDone={() => setAdding(false)} />;
  }

  async function removeMember(member: TChannelMember) {
    setIsRemoving(true);
    setRemoveError(undefined);
    try {
      await sendChange(`/api/channels/${encodeURIComponent(channel.id)}/members/${encodeURIComponent(member.userId)}`, { method: "DELETE" });
      setRemoving(null);
    } catch (err) {
      setRemoveError(describeError(err));
    } finally {
      setIsRemoving(false);
    }
  }

  return (
    <div className="space-y-3">
      <div className="flex items-center justify-between gap-3">
        <p className="text-sm text-slate-600">{channel.memberCount === 1 ? "1 member" : `${channel.memberCount.toLocaleString()} members`}</p>
        {canAdd && (
          <Button size="sm" variant="secondary" onClick={() => setAdding(true)}>
            Add people
          </Button>
        )}
      </div>
      <Input type="search" aria-label="Find members" placeholder="Find members by name or email" value={search} onChange={(e) => setSearch(e.target.value)} />
      <ul aria-label="Channel members" aria-busy={members.isPlaceholderData} className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {members.data.members.length === 0 && <li className="px-3 py-6 text-center text-sm text-slate-500">{query ? `No member matches “${query}”.` : "No members."}</li>}
        {members.data.members.map((member) => {
          const isMe = member.userId === myUserId;
          return (
            <li key={member.userId} className="flex items-center gap-3 px-3 py-2.5">
              <Avatar name={member.name} seed={member.userId} />
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-1.5">
                  <span className="truncate text-[15px] font-semibold text-slate-900">{member.name}</span>
                  {isMe && <span className="text-sm text-slate-500">(you)</span>}
                  {(member.statusEmoji || member.statusText) && (
                    <span data-testid="member-status" title={member.statusText} className="min-w-0 truncate text-sm text-slate-500">
                      {(member.statusEmoji && emojiFromName(member.statusEmoji)) ?? ""} {member.statusText}
                    </span>
                  )}
                  {member.isBot && <Badge>Bot</Badge>}
                  {channel.kind === "ANNOUNCEMENT" && member.isPoster && !canNamePosters && <Badge tone="blue">Can post</Badge>}
                </div>
                <div className="truncate text-sm text-slate-500">{member.email}</div>
              </div>
              {/* Owners and admins always post in announcement channels: no toggle for them. */}
              {canNamePosters && (member.role && can(member.role, "messages.post_announcement") ? <Badge tone="blue">Posts as admin</Badge> : <PosterToggle channelId={channel.id} member={member} />)}
              {canRemove && !isMe && (
                <Button variant="danger-ghost" size="sm" onClick={() => setRemoving(member)} aria-label={`Remove ${member.name} from the channel`}>
                  Remove
                </Button>
              )}
            </li>
          );
        })}
        {members.data.hasMore && <li className="px-3 py-3 text-center text-sm text-slate-500">More members match: type more of a name or email to narrow the list.</li>}
      </ul>
      {removing && (
        <ConfirmDialog
          open
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove"
          isPending={isRemoving}
          error={removeError}
          onCancel={() => {
            setRemoving(null);
            setRemoveError(undefined);
          }}
          onConfirm={() => removeMember(removing)}
        >
          <p>
            {removing.name} will no longer be in {channel.name ? `#${channel.name}` : "this conversation"}
            {channel.kind === "PRIVATE" ? " and will not be able to see it." : "."}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
