// POST /api/messages/:id/pin - pin the message in its channel (members); DELETE - unpin it
import { authed } from "@/lib/http/handler";
import { pinMessage, unpinMessage } from "@/lib/messages/pins";

export const POST = authed<{ id: string }>(async ({ actor, params }) => ({ message: await pinMessage({ actor, input: { messageId: params.id } }) }));
export const DELETE = authed<{ id: string }>(async ({ actor, params }) => ({ message: await unpinMessage({ actor, input: { messageId: params.id } }) }));
