// GET /api/channels/:id/members - members; POST { userIds } - add people
import { authed, readJson } from "@/lib/http/handler";
import { addChannelMembers, listChannelMembers } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const GET = authed<{ id: string }>(async ({ actor, params }) => ({ members: await listChannelMembers({ actor, channelId: ZId.parse(params.id) }) }));
export const POST = authed<{ id: string }>(async ({ actor, params, req }) => ({ members: await addChannelMembers({ actor, channelId: ZId.parse(params.id), input: await readJson(req) }) }));
