// GET /api/workspaces/:slug/webhooks - incoming webhooks (admins); POST - create one for a channel, its secret URL shown once
import { createWebhook, listWebhooks } from "@/lib/integrations/webhooks";
import { authed, readJson } from "@/lib/http/handler";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ webhooks: await listWebhooks({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => {
  const { webhook, url } = await createWebhook({ actor, slug: params.slug, input: await readJson(req) });
  return { webhook, url, path: new URL(url).pathname };
}, { status: 201 });
