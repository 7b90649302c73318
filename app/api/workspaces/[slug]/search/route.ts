// GET /api/workspaces/:slug/search?q=<query>&sort=newest|oldest|relevance&limit=20&cursor=<nextCursor>&tz=<minutes> - message search (docs/api.md, Search)
import { authed } from "@/lib/http/handler";
import { searchMessages } from "@/lib/search/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params, url }) => {
  const { workspace } = await getWorkspaceAccess({ actor, slug: params.slug });
  const p = url.searchParams;
  // The service validates everything (zod); absent parameters take its defaults.
  return searchMessages(actor, {
    workspaceId: workspace.id,
    query: p.get("q") ?? "",
    sort: p.get("sort") ?? undefined,
    limit: p.get("limit") ?? undefined,
    cursor: p.get("cursor") ?? undefined,
    tzOffsetMinutes: p.get("tz") ?? undefined,
    withTotal: !p.get("cursor"),
  });
});
