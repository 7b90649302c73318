// PATCH /api/workspaces/:slug/members/:userId - change role or (de)activate (owners/admins)
import { authed, readJson } from "@/lib/http/handler";
import { updateMember } from "@/lib/workspaces/service";

export const PATCH = authed<{ slug: string; userId: string }>(async ({ actor, params, req }) => ({
  member: await updateMember({ actor, slug: params.slug, userId: params.userId, input: await readJson(req) }),
}));
