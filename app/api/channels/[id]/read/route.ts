// POST /api/channels/:id/read { seq } - mark read up to seq
import { authed, readJsonObject } from "@/lib/http/handler";
import { markRead } from "@/lib/channels/service";

export const POST = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = await readJsonObject(req);
  return markRead({ actor, input: { ...body, channelId: params.id } });
});
