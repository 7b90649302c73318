"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { LoadingRow } from "@/components/ui/spinner";
import { forgetLastWorkspace, readLastWorkspace } from "@/components/workspace/last-workspace";
import { useMyWorkspaces } from "@/components/workspace/queries";

/**
 * "/" for a signed-in person: back to the workspace they used last on this device if they are still
 * in it, otherwise to the workspace list.
 */
export function OpenLastWorkspace() {
  const router = useRouter();
  const { data: workspaces, isError } = useMyWorkspaces();

  useEffect(() => {
    if (isError) return router.replace("/workspaces");
    if (!workspaces) return;
    const last = readLastWorkspace();
    if (last && workspaces.some((w) => w.slug === last)) return router.replace(`/w/${encodeURIComponent(last)}`);
    if (last) forgetLastWorkspace();
    router.replace("/workspaces");
  }, [workspaces, isError, router]);

  return (
    <main className="flex min-h-dvh items-center justify-center bg-slate-50">
      <LoadingRow label="Opening Parley…" />
    </main>
  );
}
