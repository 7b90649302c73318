// DELETE /api/channels/:id/members/:userId - remove someone; PATCH { isPoster } - announcement posters
import { authed, readJson } from "@/lib/http/handler";
import { removeChannelMember, setChannelPoster } from "@/lib/channels/service";
import { ZId } from "@/lib/validation";

export const DELETE = authed<{ id: string; userId: string }>(async ({ actor, params }) => removeChannelMember({ actor, channelId: ZId.parse(params.id), userId: ZId.parse(params.userId) }));
export const PATCH = authed<{ id: string; userId: string }>(async ({ actor, params, req }) => ({
  members: await setChannelPoster({ actor, channelId: ZId.parse(params.id), userId: ZId.parse(params.userId), input: await readJson(req) }),
}));
