"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDate } from "@/components/ui/format-date";
import { describeError, toFormErrors } from "@/components/ui/form-errors";
import { isDirectMessage } from "@/components/workspace/channel-title";
import { EditableDetail } from "@/components/workspace/editable-detail";
import { useChannelChanges } from "@/components/workspace/use-channel-changes";
import { ZChannelName, type TChannelView } from "@/lib/channels/schema";
import type { TMyWorkspace } from "@/lib/workspaces/schema";

type TConfirmAction = "archive" | "unarchive" | "leave";

const confirmTexts: Record<TConfirmAction, { title: string; body: string; label: string }> = {
  archive: { title: "Archive this channel?", body: "It disappears from everyone's sidebar and becomes read-only. You can unarchive it later.", label: "Archive channel" },
  unarchive: { title: "Unarchive this channel?", body: "People can post in it and join it again.", label: "Unarchive" },
  leave: { title: "Leave this channel?", body: "It leaves your sidebar. You can join again later if it is public; for a private channel someone must add you back.", label: "Leave channel" },
};

/** The message for one field's failed save: the server's sentence, or "Name is already taken". */
function toFieldMessage(field: string, label: string) {
  return (err: unknown) => {
    const errors = toFormErrors(err, { [field]: label }, { conflictField: field });
    return errors.fields[field] ?? errors.form ?? describeError(err);
  };
}

/** Whether I may change the topic and description now (the server says who may; archived channels are read-only). */
function canEditAbout(channel: TChannelView): boolean {
  return channel.canEditTopic && !channel.archivedAt;
}

/** Name, topic, description; archive and leave. */
export function ChannelAboutPanel({ channel, workspace, onLeft }: { channel: TChannelView; workspace: TMyWorkspace | undefined; onLeft: () => void }) {
  const router = useRouter();
  const sendChange = useChannelChanges(channel.id);
  const [confirming, setConfirming] = useState<TConfirmAction | null>(null);
  const [isWorking, setWorking] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const isDm = isDirectMessage(channel);
  const canEdit = canEditAbout(channel);
  const patch = (body: Record<string, unknown>) => sendChange(`/api/channels/${encodeURIComponent(channel.id)}`, { method: "PATCH", body }).then(() => undefined);

  async function runConfirmed(action: TConfirmAction) {
    setWorking(true);
    setActionError(undefined);
    try {
      if (action === "leave") {
        await sendChange(`/api/channels/${encodeURIComponent(channel.id)}/leave`, { method: "POST" });
        setConfirming(null);
        onLeft();
        if (workspace) router.push(`/w/${encodeURIComponent(workspace.slug)}`);
        return;
      }
      await patch({ archived: action === "archive" });
      setConfirming(null);
    } catch (err) {
      setActionError(describeError(err));
    } finally {
      setWorking(false);
    }
  }

  const canArchive = channel.canManage && !channel.isGeneral && !isDm;
  const canLeave = channel.isMember && !channel.isGeneral && !isDm;
  return (
    <div className="space-y-4">
      <div className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {!isDm && (
          <EditableDetail
            label="Channel name"
            value={channel.name ?? ""}
            emptyText=""
            display={(name) => `#${name}`}
            canEdit={channel.canManage && !channel.archivedAt}
            maxLength={81}
            hint={(draft) => {
              const parsed = ZChannelName.safeParse(draft);
              return parsed.success ? `Will be saved as #${parsed.data}` : "Lower case, no spaces: letters, numbers, hyphens and underscores.";
            }}
            onSave={(name) => patch({ name })}
            toMessage={toFieldMessage("name", "Name")}
          />
        )}
        <EditableDetail label="Topic" value={channel.topic} emptyText="No topic yet" canEdit={canEdit} maxLength={250} onSave={(topic) => patch({ topic })} toMessage={toFieldMessage("topic", "Topic")} />
        <EditableDetail label="Description" value={channel.description} emptyText="No description yet" canEdit={canEdit} isMultiline maxLength={1000} onSave={(description) => patch({ description })} toMessage={toFieldMessage("description", "Description")} />
        <div className="px-4 py-3">
          <h3 className="text-sm font-semibold text-slate-800">Created</h3>
          <p className="mt-0.5 text-[15px] text-slate-700">
            <time dateTime={channel.createdAt}>{formatDate(channel.createdAt)}</time>
          </p>
        </div>
      </div>
      {(canArchive || canLeave) && (
        <div className="flex flex-wrap gap-2">
          {canLeave && (
            <Button variant="secondary" onClick={() => setConfirming("leave")}>
              Leave channel
            </Button>
          )}
          {canArchive && (
            <Button variant={channel.archivedAt ? "secondary" : "danger-ghost"} onClick={() => setConfirming(channel.archivedAt ? "unarchive" : "archive")}>
              {channel.archivedAt ? "Unarchive channel" : "Archive channel"}
            </Button>
          )}
        </div>
      )}
      {confirming && (
        <ConfirmDialog
          open
          title={confirmTexts[confirming].title}
          confirmLabel={confirmTexts[confirming].label}
          tone={confirming === "unarchive" ? "primary" : "danger"}
          isPending={isWorking}
          error={actionError}
          onCancel={() => {
            setConfirming(null);
            setActionError(undefined);
          }}
          onConfirm={() => runConfirmed(confirming)}
        >
          <p>{confirmTexts[confirming].body}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
