"use client";

import Link from "next/link";
import { useEffect } from "react";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { CreateInviteForm } from "@/components/workspace/create-invite-form";
import { InvitesList } from "@/components/workspace/invites-list";
import { rememberLastWorkspace } from "@/components/workspace/last-workspace";
import { MembersTable } from "@/components/workspace/members-table";
import { useMe, useWorkspace } from "@/components/workspace/queries";
import { RoleBadge } from "@/components/workspace/role-badge";
import { ApiError } from "@/lib/client/api";
import { can } from "@/lib/permissions";

function SettingsSection({ id, title, description, children }: { id: string; title: string; description: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-4">
      <div>
        <h2 id={id} className="text-lg font-bold text-slate-900">
          {title}
        </h2>
        <p className="text-sm text-slate-600">{description}</p>
      </div>
      {children}
    </section>
  );
}

function WorkspaceUnavailable({ error }: { error: Error }) {
  const isMissing = error instanceof ApiError && error.status === 404;
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-xl font-bold text-slate-900">{isMissing ? "Workspace not found" : "You cannot open this workspace"}</h1>
      <p className="mt-2 text-[15px] text-slate-600">{isMissing ? "It does not exist, or you are not a member of it." : describeError(error)}</p>
      <Link href="/workspaces" className="mt-6 inline-block font-semibold text-[#1264a3] hover:underline">
        Go to your workspaces
      </Link>
    </div>
  );
}

/** /w/<slug>/settings: members (managed by owners and admins) and invite links. */
export function WorkspaceSettings({ slug }: { slug: string }) {
  const { data: workspace, error, isPending } = useWorkspace(slug);
  const { data: me } = useMe();

  useEffect(() => {
    if (workspace) rememberLastWorkspace(workspace.slug);
  }, [workspace]);

  if (isPending) return <LoadingRow />;
  if (error) return <WorkspaceUnavailable error={error} />;

  const isAdmin = can(workspace.role, "members.manage");
  return (
    <div className="mx-auto max-w-5xl space-y-10 px-4 py-8 sm:px-8">
      <header>
        <Link href={`/w/${encodeURIComponent(workspace.slug)}`} className="inline-flex items-center gap-1 text-sm font-semibold text-[#1264a3] hover:underline">
          <span aria-hidden="true">←</span> Back to {workspace.name}
        </Link>
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold tracking-tight break-words text-slate-900">{workspace.name} settings</h1>
          <RoleBadge role={workspace.role} />
        </div>
        {!isAdmin && <p className="mt-1 text-[15px] text-slate-600">Only owners and admins can change roles or deactivate people.</p>}
        {can(workspace.role, "integrations.manage") && (
          <Link href={`/w/${encodeURIComponent(workspace.slug)}/settings/integrations`} className="mt-3 inline-flex items-center gap-1 text-[15px] font-semibold text-[#1264a3] hover:underline">
            Integrations: bots, webhooks, audit log <span aria-hidden="true">→</span>
          </Link>
        )}
      </header>
      <SettingsSection id="settings-members" title="Members" description={isAdmin ? "Change roles, or deactivate people who should no longer have access." : "Everyone in this workspace."}>
        <MembersTable slug={workspace.slug} myRole={workspace.role} myUserId={me?.id} />
      </SettingsSection>
      {can(workspace.role, "members.invite") && (
        <SettingsSection id="settings-invites" title="Invite people" description={isAdmin ? "Create single-use links to bring people in. Pending links can be revoked." : "Create single-use links to invite teammates as members."}>
          <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6">
            <CreateInviteForm slug={workspace.slug} myRole={workspace.role} />
          </div>
          <h3 className="pt-2 text-base font-bold text-slate-900">{isAdmin ? "Invite links" : "Your invite links"}</h3>
          <InvitesList slug={workspace.slug} myRole={workspace.role} myUserId={me?.id} />
        </SettingsSection>
      )}
    </div>
  );
}
