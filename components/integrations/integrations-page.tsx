"use client";

import Link from "next/link";
import { AuditLog } from "@/components/integrations/audit-log";
import { BotsSection } from "@/components/integrations/bots-section";
import { WebhooksSection } from "@/components/integrations/webhooks-section";
import { Alert } from "@/components/ui/alert";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { useWorkspace } from "@/components/workspace/queries";
import { can } from "@/lib/permissions";

function Section({ id, title, description, children }: { id: string; title: string; description: React.ReactNode; children: React.ReactNode }) {
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

/** /w/<slug>/settings/integrations: bots, incoming webhooks and the audit log, for workspace admins. */
export function IntegrationsPage({ slug }: { slug: string }) {
  const { data: workspace, error, isPending } = useWorkspace(slug);
  if (isPending) return <LoadingRow />;
  if (error) return <Alert title="Could not open this workspace" className="m-8">{describeError(error)}</Alert>;
  const isAdmin = can(workspace.role, "integrations.manage");
  const base = `/w/${encodeURIComponent(workspace.slug)}`;
  return (
    <div className="mx-auto max-w-5xl space-y-10 px-4 py-8 sm:px-8">
      <header>
        <Link href={`${base}/settings`} className="inline-flex items-center gap-1 text-sm font-semibold text-[#1264a3] hover:underline">
          <span aria-hidden="true">←</span> Back to {workspace.name} settings
        </Link>
        <h1 className="mt-3 text-2xl font-bold tracking-tight break-words text-slate-900">Integrations</h1>
        <p className="mt-1 text-[15px] text-slate-600">
          Bots and webhooks use Parley’s Slack-compatible Web API at <code className="font-mono text-sm">/api/&lt;method&gt;</code>. Your own API tokens are in{" "}
          <Link href="/profile#api-tokens" className="font-semibold text-[#1264a3] hover:underline">
            your profile
          </Link>
          .
        </p>
      </header>
      {!isAdmin ? (
        <Alert tone="info" title="Only workspace owners and admins manage integrations">
          You can still create personal API tokens that act as you, in{" "}
          <Link href="/profile#api-tokens" className="font-semibold underline">
            Profile → API tokens
          </Link>
          .
        </Alert>
      ) : (
        <>
          <Section id="integrations-bots" title="Bots" description="Each bot is its own user with its own token, and a member only of channels it is invited to or joins (public ones).">
            <BotsSection slug={workspace.slug} />
          </Section>
          <Section id="integrations-webhooks" title="Incoming webhooks" description="A secret URL that posts into one channel. Anyone holding the URL can post, so treat it like a password.">
            <WebhooksSection slug={workspace.slug} />
          </Section>
          <Section id="integrations-audit" title="Audit log" description="Every change to integrations and every write through the Web API or a webhook, newest first.">
            <AuditLog slug={workspace.slug} />
          </Section>
        </>
      )}
    </div>
  );
}
