// POST /api/channels/:id/read { seq } - mark read up to seq
import { authed, readJson } from "@/lib/http/handler";
import { markRead } from "@/lib/channels/service";

export const POST = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = (await readJson(req)) as Record<string, unknown>;
  return markRead({ actor, input: { ...body, channelId: params.id } });
});
