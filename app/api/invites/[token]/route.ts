// GET /api/invites/:token - what an invite link leads to; POST - accept it (signed in)
import { authed, open } from "@/lib/http/handler";
import { acceptInvite, getInvitePreview } from "@/lib/workspaces/service";

export const GET = open<{ token: string }>(async ({ params }) => ({ invite: await getInvitePreview({ token: params.token }) }));
export const POST = authed<{ token: string }>(async ({ actor, params }) => ({ workspace: await acceptInvite({ actor, token: params.token }) }));
