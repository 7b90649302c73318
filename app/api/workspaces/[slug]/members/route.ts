// GET /api/workspaces/:slug/members - member list with roles
//   ?ids=<userId>,<userId>…  only those members (at most 100)
//   ?q=<text>&limit=<n>[&notInChannel=<id>][&status=all][&cursor=<nextCursor>]  members whose name or email
//                            contains the text, by name, a page at a time (lib/workspaces/service.ts, searchMembers)
import { authed } from "@/lib/http/handler";
import { listMembers, searchMembers } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params, url }) => {
  const p = url.searchParams;
  if (p.has("q")) return searchMembers({ actor, slug: params.slug, input: Object.fromEntries(p) });
  return { members: await listMembers({ actor, slug: params.slug, ids: p.get("ids") ?? undefined }) };
});
