// GET /api/channels/:id/events?after=N - catch-up: changes after seq N, from the database
import { authed } from "@/lib/http/handler";
import { getChangesSince } from "@/lib/messages/service";

export const GET = authed<{ id: string }>(async ({ actor, params, url }) =>
  getChangesSince({ actor, input: { channelId: params.id, after: url.searchParams.get("after") ?? "0", limit: url.searchParams.get("limit") ?? undefined } }),
);
