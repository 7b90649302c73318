// GET /api/workspaces - my workspaces; POST /api/workspaces - create one (I become its owner)
import { authed, readJson } from "@/lib/http/handler";
import { createWorkspace, listMyWorkspaces } from "@/lib/workspaces/service";

export const GET = authed(async ({ actor }) => ({ workspaces: await listMyWorkspaces({ actor }) }));
export const POST = authed(async ({ actor, req }) => ({ workspace: await createWorkspace({ actor, input: await readJson(req) }) }), { status: 201 });
