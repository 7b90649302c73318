// GET /api/workspaces/:slug/members - member list with roles
import { authed } from "@/lib/http/handler";
import { listMembers } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ members: await listMembers({ actor, slug: params.slug }) }));
