// GET /api/channels/:id/messages?before=|after=|around_ts=&limit= - a history page (oldest first) before or
// after a seq cursor, or around one message; none of them: the newest page.
// POST { body, clientMsgId } - send a message
import { authed, readJsonObject } from "@/lib/http/handler";
import { listMessages, sendMessage } from "@/lib/messages/service";

export const GET = authed<{ id: string }>(async ({ actor, params, url }) =>
  listMessages({
    actor,
    input: {
      channelId: params.id,
      before: url.searchParams.get("before") ?? undefined,
      after: url.searchParams.get("after") ?? undefined,
      aroundTs: url.searchParams.get("around_ts") ?? undefined,
      limit: url.searchParams.get("limit") ?? undefined,
    },
  }),
);
export const POST = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = await readJsonObject(req);
  return { message: await sendMessage({ actor, input: { ...body, channelId: params.id } }) };
}, { status: 201 });
