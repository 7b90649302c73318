import type { Metadata } from "next";
import { IntegrationsPage } from "@/components/integrations/integrations-page";
import { requirePageActor } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Integrations · Parley" };

/** /w/<slug>/settings/integrations — bots, webhooks and the audit log (the API refuses non-admins too). */
export default async function WorkspaceIntegrationsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requirePageActor(`/w/${slug}/settings/integrations`);
  return (
    <div className="h-full min-h-0 overflow-y-auto bg-slate-50">
      <IntegrationsPage slug={slug} />
    </div>
  );
}
