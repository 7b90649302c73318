// POST /api/channels/:id/join - join a public or announcement channel
import { authed } from "@/lib/http/handler";
import { joinChannel } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const POST = authed<{ id: string }>(async ({ actor, params }) => ({ channel: await joinChannel({ actor, channelId: ZId.parse(params.id) }) }));
