import type { Metadata } from "next";
import { requirePageActor } from "@/lib/auth/page-session";
import { WorkspaceSettings } from "@/components/workspace/workspace-settings";

export const metadata: Metadata = { title: "Workspace settings · Parley" };

/** /w/<slug>/settings — rendered inside the workspace shell (app/w/[slug]/layout.tsx). */
export default async function WorkspaceSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requirePageActor(`/w/${slug}/settings`);
  return (
    <div className="h-full min-h-0 overflow-y-auto bg-slate-50">
      <WorkspaceSettings slug={slug} />
    </div>
  );
}
