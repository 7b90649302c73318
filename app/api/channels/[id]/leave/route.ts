// POST /api/channels/:id/leave - leave a channel
import { authed } from "@/lib/http/handler";
import { leaveChannel } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const POST = authed<{ id: string }>(async ({ actor, params }) => leaveChannel({ actor, channelId: ZId.parse(params.id) }));
