// DELETE /api/tokens/:id - revoke a token: your own personal ones, or any in a workspace you administer
import { revokeToken } from "@/lib/integrations/tokens";
import { authed } from "@/lib/http/handler";

export const DELETE = authed<{ id: string }>(async ({ actor, params }) => ({ token: await revokeToken({ actor, tokenId: params.id }) }));
