// GET /api/workspaces/:slug - the workspace and my role in it
import { authed } from "@/lib/http/handler";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug: params.slug });
  return { workspace: { ...workspace, role } };
});
