"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { describeError } from "@/components/ui/form-errors";
import { Input, Select } from "@/components/ui/input";
import { LoadingRow } from "@/components/ui/spinner";
import { useDebounced } from "@/components/ui/use-debounced";
import { canManageMember, getAssignableRoles } from "@/components/workspace/member-permissions";
import { isUnauthorized, redirectToLogin, SEARCH_DELAY_MS, useMemberDirectory } from "@/components/workspace/queries";
import { RoleBadge, roleLabels } from "@/components/workspace/role-badge";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import type { TRole } from "@/lib/permissions";
import type { TMember } from "@/lib/workspaces/schema";

type TMemberChange = { member: TMember; role: TRole } | { member: TMember; status: TMember["status"] };

function describeChange(change: TMemberChange): { title: string; body: string; confirmLabel: string; tone: "danger" | "primary" } {
  const name = change.member.name;
  if ("role" in change) {
    return { title: `Make ${name} ${/^[AEIOU]/.test(roleLabels[change.role]) ? "an" : "a"} ${roleLabels[change.role].toLowerCase()}?`, body: `${name} will have the permissions of ${roleLabels[change.role].toLowerCase()}s in this workspace.`, confirmLabel: "Change role", tone: "primary" };
  }
  if (change.status === "DEACTIVATED") {
    return { title: `Deactivate ${name}?`, body: `${name} will be signed out everywhere at once and lose access to this workspace. Their messages stay. You can reactivate them later.`, confirmLabel: "Deactivate", tone: "danger" };
  }
  return { title: `Reactivate ${name}?`, body: `${name} will be able to sign in and use this workspace again.`, confirmLabel: "Reactivate", tone: "primary" };
}

function useUpdateMember(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: TMemberChange) =>
      api<{ member: TMember }>(`/api/workspaces/${encodeURIComponent(slug)}/members/${encodeURIComponent(change.member.userId)}`, {
        method: "PATCH",
        body: "role" in change ? { role: change.role } : { status: change.status },
      }),
    // Every cached list and search of members (keys under ["workspace", slug]).
    onSuccess: () => refreshAfterChange(queryClient, ["workspace", slug]),
    onError: (err) => {
      if (isUnauthorized(err)) redirectToLogin();
    },
  });
}

function MemberRow({ member, isMe, isEditable, assignableRoles, onChange }: { member: TMember; isMe: boolean; isEditable: boolean; assignableRoles: TRole[]; onChange: (change: TMemberChange) => void }) {
  const isActive = member.status === "ACTIVE";
  return (
    <tr className={isActive ? undefined : "bg-slate-50/70"}>
      <td className="py-3 pr-3 pl-4 sm:pl-5">
        <div className="flex min-w-0 items-center gap-3">
          <Avatar name={member.name} seed={member.userId} className={isActive ? undefined : "opacity-50"} />
          <div className="min-w-0">
            <div className="flex items-center gap-1.5">
              <span className="truncate font-semibold text-slate-900">{member.name}</span>
              {isMe && <span className="shrink-0 text-sm text-slate-500">(you)</span>}
              {member.isBot && <Badge>Bot</Badge>}
            </div>
            <div className="truncate text-sm text-slate-500">{member.email}</div>
          </div>
        </div>
      </td>
      <td className="px-3 py-3">
        {isEditable && isActive ? (
          <Select
            aria-label={`Role of ${member.name}`}
            value={member.role}
            onChange={(e) => onChange({ member, role: e.target.value as TRole })}
            className="h-8 w-32 text-sm"
          >
            {/* Keep the current role listed even if I could not give it (it is theirs already). */}
            {[...new Set<TRole>([member.role, ...assignableRoles])].map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </Select>
        ) : (
          <RoleBadge role={member.role} />
        )}
      </td>
      <td className="px-3 py-3">{isActive ? <Badge tone="green">Active</Badge> : <Badge tone="red">Deactivated</Badge>}</td>
      <td className="py-3 pr-4 pl-3 text-right sm:pr-5">
        {isEditable &&
          (isActive ? (
            <Button variant="danger-ghost" size="sm" onClick={() => onChange({ member, status: "DEACTIVATED" })} aria-label={`Deactivate ${member.name}`}>
              Deactivate
            </Button>
          ) : (
            <Button variant="secondary" size="sm" onClick={() => onChange({ member, status: "ACTIVE" })} aria-label={`Reactivate ${member.name}`}>
              Reactivate
            </Button>
          ))}
      </td>
    </tr>
  );
}

/** The workspace's people. Owners and admins change roles and (de)activate, after confirming. */
export function MembersTable({ slug, myRole, myUserId }: { slug: string; myRole: TRole; myUserId?: string }) {
  const [search, setSearch] = useState("");
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const directory = useMemberDirectory(slug, query);
  const updateMember = useUpdateMember(slug);
  const [pendingChange, setPendingChange] = useState<TMemberChange | null>(null);
  const assignableRoles = getAssignableRoles(myRole);

  if (directory.isPending) return <LoadingRow label="Loading members…" />;
  if (directory.error && !directory.data) return <Alert title="Could not load members">{describeError(directory.error)}</Alert>;

  const visible = directory.data.pages.flatMap((page) => page.members);
  const closeConfirm = () => {
    setPendingChange(null);
    updateMember.reset();
  };
  const confirmation = pendingChange ? describeChange(pendingChange) : null;

  return (
    <div className="space-y-3">
      <Input type="search" aria-label="Search members" placeholder="Search by name or email" value={search} onChange={(e) => setSearch(e.target.value)} className="max-w-xs" />
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table aria-busy={directory.isPlaceholderData} className="w-full min-w-[640px] table-fixed text-left text-sm">
          <caption className="sr-only">Members</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2.5 pr-3 pl-4 sm:pl-5">
                Name
              </th>
              <th scope="col" className="w-40 px-3 py-2.5">
                Role
              </th>
              <th scope="col" className="w-32 px-3 py-2.5">
                Status
              </th>
              <th scope="col" className="w-36 py-2.5 pr-4 pl-3 text-right sm:pr-5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {visible.map((member) => (
              <MemberRow
                key={member.userId}
                member={member}
                isMe={member.userId === myUserId}
                isEditable={canManageMember(myRole, myUserId, member)}
                assignableRoles={assignableRoles}
                onChange={setPendingChange}
              />
            ))}
            {visible.length === 0 && (
              <tr>
                <td colSpan={4} className="px-5 py-8 text-center text-slate-500">
                  {query ? `No one matches “${query}”.` : "No members."}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {directory.hasNextPage && (
        <Button variant="secondary" size="sm" onClick={() => void directory.fetchNextPage()} isLoading={directory.isFetchingNextPage}>
          Show more members
        </Button>
      )}
      {pendingChange && confirmation && (
        <ConfirmDialog
          open
          title={confirmation.title}
          confirmLabel={confirmation.confirmLabel}
          tone={confirmation.tone}
          isPending={updateMember.isPending}
          error={updateMember.error ? describeError(updateMember.error) : undefined}
          onCancel={closeConfirm}
          onConfirm={() => updateMember.mutate(pendingChange, { onSuccess: closeConfirm })}
        >
          <p>{confirmation.body}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
