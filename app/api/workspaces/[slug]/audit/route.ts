// GET /api/workspaces/:slug/audit?before=<iso time>&limit=50 - the audit log, newest first (admins); page on with `nextBefore`
import { z } from "zod";
import { listAudit } from "@/lib/integrations/audit";
import { authed } from "@/lib/http/handler";

// Query parameters only this route reads, so the schema stays beside it.
const ZAuditQuery = z.object({
  before: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(200, "must be at most 200").default(50),
});

export const GET = authed<{ slug: string }>(async ({ actor, params, url }) => {
  const query = ZAuditQuery.parse({ before: url.searchParams.get("before") ?? undefined, limit: url.searchParams.get("limit") ?? undefined });
  // One extra row tells whether an older page exists without a second query.
  const rows = await listAudit({ actor, slug: params.slug, before: query.before, limit: query.limit + 1 });
  const entries = rows.slice(0, query.limit);
  const hasMore = rows.length > query.limit;
  return { entries, hasMore, nextBefore: hasMore ? entries[entries.length - 1]!.createdAt : null };
});
