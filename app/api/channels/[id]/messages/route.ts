// GET /api/channels/:id/messages?before=&limit= - history page (newest first by seq cursor);
// POST { body, clientMsgId } - send a message
import { authed, readJson } from "@/lib/http/handler";
import { listMessages, sendMessage } from "@/lib/messages/service";

export const GET = authed<{ id: string }>(async ({ actor, params, url }) =>
  listMessages({ actor, input: { channelId: params.id, before: url.searchParams.get("before") ?? undefined, limit: url.searchParams.get("limit") ?? undefined } }),
);
export const POST = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = (await readJson(req)) as Record<string, unknown>;
  return { message: await sendMessage({ actor, input: { ...body, channelId: params.id } }) };
}, { status: 201 });
