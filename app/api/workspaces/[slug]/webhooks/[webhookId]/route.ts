// DELETE /api/workspaces/:slug/webhooks/:webhookId - revoke an incoming webhook; its URL stops working at once (admins)
import { revokeWebhook } from "@/lib/integrations/webhooks";
import { authed } from "@/lib/http/handler";

export const DELETE = authed<{ slug: string; webhookId: string }>(async ({ actor, params }) => ({ webhook: await revokeWebhook({ actor, slug: params.slug, webhookId: params.webhookId }) }));
