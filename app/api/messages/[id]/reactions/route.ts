// POST /api/messages/:id/reactions { emoji } - add my reaction; DELETE ?emoji= (or { emoji }) - remove it
import { authed, readJsonObject } from "@/lib/http/handler";
import { addReaction, removeReaction } from "@/lib/messages/reactions";

export const POST = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = await readJsonObject(req);
  return { message: await addReaction({ actor, input: { emoji: body.emoji, messageId: params.id } }) };
});
export const DELETE = authed<{ id: string }>(async ({ actor, params, req, url }) => {
  const body = await readJsonObject(req);
  return { message: await removeReaction({ actor, input: { emoji: url.searchParams.get("emoji") ?? body.emoji, messageId: params.id } }) };
});
