"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { describeError } from "@/components/ui/form-errors";
import { PeoplePicker } from "@/components/workspace/people-picker";
import { isUnauthorized, queryKeys, redirectToLogin, useMe } from "@/components/workspace/queries";
import type { TChannelView } from "@/lib/channels/schema";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

/** A DM holds me and up to 7 others (ZOpenDm). */
const maxOtherPeople = 7;

/** Starts (or reopens) a direct message with 1–7 people from the workspace. */
export function NewDmDialog({ slug, open, onClose, onOpened }: { slug: string; open: boolean; onClose: () => void; onOpened: (channelId: string) => void }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const [selectedIds, setSelectedIds] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [isOpening, setOpening] = useState(false);

  const notMe = useMemo(() => new Set(me.data ? [me.data.id] : []), [me.data]);

  // The picker starts afresh on each opening: so does the choice.
  const close = () => {
    setSelectedIds([]);
    setError(undefined);
    onClose();
  };

  async function openConversation() {
    setOpening(true);
    setError(undefined);
    try {
      const { channel } = await api<{ channel: TChannelView }>(`/api/workspaces/${encodeURIComponent(slug)}/dms`, { body: { userIds: selectedIds } });
      await refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
      setSelectedIds([]);
      onOpened(channel.id);
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      setError(describeError(err));
    } finally {
      setOpening(false);
    }
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="New message"
      description={`Pick one person for a direct message, or up to ${maxOtherPeople} for a group.`}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button onClick={openConversation} disabled={selectedIds.length === 0} isLoading={isOpening}>
            {selectedIds.length > 1 ? "Start group message" : "Start message"}
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        {error && <Alert>{error}</Alert>}
        {open && <PeoplePicker slug={slug} excludeIds={notMe} selectedIds={selectedIds} onChange={setSelectedIds} max={maxOtherPeople} searchLabel="Search people to message" autoFocus />}
      </div>
    </Dialog>
  );
}
