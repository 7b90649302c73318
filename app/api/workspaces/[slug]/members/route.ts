// GET /api/workspaces/:slug/members[?ids=<userId>,<userId>…] - member list with roles, or only those members (at most 100)
import { authed } from "@/lib/http/handler";
import { listMembers } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params, url }) => ({
  members: await listMembers({ actor, slug: params.slug, ids: url.searchParams.get("ids") ?? undefined }),
}));
