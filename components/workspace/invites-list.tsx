"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime, formatRelative } from "@/components/ui/format-date";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { isUnauthorized, queryKeys, redirectToLogin, useInvites } from "@/components/workspace/queries";
import { RoleBadge } from "@/components/workspace/role-badge";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { can, type TRole } from "@/lib/permissions";
import type { TInvite } from "@/lib/workspaces/schema";

const statusBadges: Record<TInvite["status"], React.ReactNode> = {
  pending: <Badge tone="blue">Pending</Badge>,
  accepted: <Badge tone="green">Accepted</Badge>,
  revoked: <Badge tone="neutral">Revoked</Badge>,
  expired: <Badge tone="amber">Expired</Badge>,
};

function describeInvitee(invite: TInvite): string {
  return invite.email ?? "Anyone with the link";
}

function useRevokeInvite(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invite: TInvite) => api(`/api/workspaces/${encodeURIComponent(slug)}/invites/${encodeURIComponent(invite.id)}`, { method: "DELETE" }),
    onSuccess: () => refreshAfterChange(queryClient, queryKeys.invites(slug)),
    onError: (err) => {
      if (isUnauthorized(err)) redirectToLogin();
    },
  });
}

/** Invite links with their status; pending ones can be revoked by their creator or an admin. */
export function InvitesList({ slug, myRole, myUserId }: { slug: string; myRole: TRole; myUserId?: string }) {
  const { data: invites, error, isPending } = useInvites(slug);
  const revoke = useRevokeInvite(slug);
  const [revoking, setRevoking] = useState<TInvite | null>(null);

  if (isPending) return <LoadingRow label="Loading invites…" />;
  if (error) return <Alert title="Could not load invites">{describeError(error)}</Alert>;
  if (invites.length === 0) return <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-center text-sm text-slate-500">No invite links yet.</p>;

  const closeConfirm = () => {
    setRevoking(null);
    revoke.reset();
  };

  return (
    <>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[640px] table-fixed text-left text-sm">
          <caption className="sr-only">Invite links</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2.5 pr-3 pl-4 sm:pl-5">
                For
              </th>
              <th scope="col" className="w-28 px-3 py-2.5">
                Role
              </th>
              <th scope="col" className="w-28 px-3 py-2.5">
                Status
              </th>
              <th scope="col" className="w-36 px-3 py-2.5">
                Expires
              </th>
              <th scope="col" className="w-28 py-2.5 pr-4 pl-3 text-right sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {invites.map((invite) => {
              const canRevoke = invite.status === "pending" && (invite.createdBy.id === myUserId || can(myRole, "members.manage"));
              return (
                <tr key={invite.id}>
                  <td className="py-3 pr-3 pl-4 sm:pl-5">
                    <div className="truncate font-medium text-slate-900">{describeInvitee(invite)}</div>
                    <div className="truncate text-slate-500">
                      by {invite.createdBy.name} · <time dateTime={invite.createdAt}>{formatRelative(invite.createdAt)}</time>
                    </div>
                  </td>
                  <td className="px-3 py-3">
                    <RoleBadge role={invite.role} />
                  </td>
                  <td className="px-3 py-3">{statusBadges[invite.status]}</td>
                  <td className="px-3 py-3 text-slate-600">
                    <time dateTime={invite.expiresAt} title={formatDateTime(invite.expiresAt)}>
                      {formatRelative(invite.expiresAt)}
                    </time>
                  </td>
                  <td className="py-3 pr-4 pl-3 text-right sm:pr-5">
                    {canRevoke && (
                      <Button variant="danger-ghost" size="sm" onClick={() => setRevoking(invite)} aria-label={`Revoke invite for ${describeInvitee(invite)}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {revoking && (
        <ConfirmDialog
          open
          title="Revoke this invite link?"
          confirmLabel="Revoke link"
          isPending={revoke.isPending}
          error={revoke.error ? describeError(revoke.error) : undefined}
          onCancel={closeConfirm}
          onConfirm={() => revoke.mutate(revoking, { onSuccess: closeConfirm })}
        >
          <p>{revoking.email ? `The invite link for ${revoking.email}` : "This invite link"} will stop working at once. People who already joined stay.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
