// PATCH /api/messages/:id { body } - edit my message; DELETE - delete it (admins: any)
import { authed, readJsonObject } from "@/lib/http/handler";
import { deleteMessage, editMessage } from "@/lib/messages/service";

export const PATCH = authed<{ id: string }>(async ({ actor, params, req }) => {
  const body = await readJsonObject(req);
  return { message: await editMessage({ actor, input: { ...body, messageId: params.id } }) };
});
export const DELETE = authed<{ id: string }>(async ({ actor, params }) => ({ message: await deleteMessage({ actor, input: { messageId: params.id } }) }));
