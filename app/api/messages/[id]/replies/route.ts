// GET /api/messages/:id/replies?after=<seq>&limit=50 - the thread's root and a page of replies, oldest first
import { authed } from "@/lib/http/handler";
import { listReplies } from "@/lib/messages/threads";

export const GET = authed<{ id: string }>(async ({ actor, params, url }) =>
  listReplies({ actor, input: { messageId: params.id, after: url.searchParams.get("after") ?? undefined, limit: url.searchParams.get("limit") ?? undefined } }),
);
