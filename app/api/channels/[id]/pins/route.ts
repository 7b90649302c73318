// GET /api/channels/:id/pins - the channel's pinned messages, most recently pinned first
import { authed } from "@/lib/http/handler";
import { listPins } from "@/lib/messages/pins";

export const GET = authed<{ id: string }>(async ({ actor, params }) => ({ messages: await listPins({ actor, input: { channelId: params.id } }) }));
