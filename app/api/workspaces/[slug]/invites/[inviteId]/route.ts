// DELETE /api/workspaces/:slug/invites/:inviteId - revoke a pending invite
import { authed } from "@/lib/http/handler";
import { revokeInvite } from "@/lib/workspaces/service";

export const DELETE = authed<{ slug: string; inviteId: string }>(async ({ actor, params }) => ({ invite: await revokeInvite({ actor, slug: params.slug, inviteId: params.inviteId }) }));
