"use client";

import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { LoadingRow } from "@/components/ui/spinner";
import { describeError } from "@/components/ui/form-errors";
import { rememberLastWorkspace } from "@/components/workspace/last-workspace";
import { useMyWorkspaces } from "@/components/workspace/queries";
import { RoleBadge } from "@/components/workspace/role-badge";
import type { TMyWorkspace } from "@/lib/workspaces/schema";

function WorkspaceRow({ workspace }: { workspace: TMyWorkspace }) {
  return (
    <li>
      <Link
        href={`/w/${encodeURIComponent(workspace.slug)}`}
        onClick={() => rememberLastWorkspace(workspace.slug)}
        className="group flex items-center gap-4 px-5 py-4 hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-[#1264a3]"
      >
        <Avatar name={workspace.name} seed={workspace.id} size="lg" />
        <span className="min-w-0 flex-1">
          <span className="flex items-center gap-2">
            <span className="truncate text-base font-bold text-slate-900">{workspace.name}</span>
            <RoleBadge role={workspace.role} />
          </span>
          <span className="mt-0.5 block truncate text-sm text-slate-500">/w/{workspace.slug}</span>
        </span>
        <span aria-hidden="true" className="text-sm font-semibold text-[#1264a3] opacity-0 transition-opacity group-hover:opacity-100 group-focus-visible:opacity-100 max-sm:hidden">
          Open →
        </span>
      </Link>
    </li>
  );
}

/** The workspaces I belong to, each a link into it. */
export function WorkspaceList() {
  const { data: workspaces, error, isPending } = useMyWorkspaces();
  if (isPending) return <LoadingRow label="Loading your workspaces…" />;
  if (error) return <Alert title="Could not load your workspaces">{describeError(error)}</Alert>;
  if (workspaces.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
        <p className="font-semibold text-slate-800">You are not in any workspace yet</p>
        <p className="mt-1 text-sm text-slate-600">Create one below, or open an invite link a teammate sent you.</p>
      </div>
    );
  }
  return (
    <ul aria-label="Your workspaces" className="divide-y divide-slate-200 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
      {workspaces.map((w) => (
        <WorkspaceRow key={w.id} workspace={w} />
      ))}
    </ul>
  );
}
