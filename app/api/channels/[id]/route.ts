// GET /api/channels/:id - one conversation; PATCH - rename, topic, description, archive
import { authed, readJson } from "@/lib/http/handler";
import { getChannel, updateChannel } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const GET = authed<{ id: string }>(async ({ actor, params }) => ({ channel: await getChannel({ actor, channelId: ZId.parse(params.id) }) }));
export const PATCH = authed<{ id: string }>(async ({ actor, params, req }) => ({ channel: await updateChannel({ actor, channelId: ZId.parse(params.id), input: await readJson(req) }) }));
