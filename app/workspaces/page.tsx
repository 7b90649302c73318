import type { Metadata } from "next";
import { AccountHeader } from "@/components/workspace/account-header";
import { CreateWorkspaceForm } from "@/components/workspace/create-workspace-form";
import { requirePageActor } from "@/lib/auth/page-session";
import { WorkspaceList } from "@/components/workspace/workspace-list";

export const metadata: Metadata = { title: "Your workspaces · Parley" };

/** /workspaces — the workspaces I am in, and creating a new one. */
export default async function WorkspacesPage() {
  await requirePageActor("/workspaces");
  return (
    <div className="min-h-dvh bg-slate-50">
      <AccountHeader />
      <main className="mx-auto max-w-4xl space-y-10 px-4 py-10 sm:px-6">
        <section aria-labelledby="your-workspaces">
          <h1 id="your-workspaces" className="text-2xl font-bold tracking-tight text-slate-900">
            Your workspaces
          </h1>
          <p className="mt-1 mb-5 text-[15px] text-slate-600">Pick up where your team left off.</p>
          <WorkspaceList />
        </section>
        <section aria-labelledby="create-workspace" className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
          <h2 id="create-workspace" className="text-xl font-bold text-slate-900">
            Create a workspace
          </h2>
          <p className="mt-1 mb-6 text-[15px] text-slate-600">A new home for your team&apos;s conversations. You will be its owner.</p>
          <CreateWorkspaceForm />
        </section>
      </main>
    </div>
  );
}
