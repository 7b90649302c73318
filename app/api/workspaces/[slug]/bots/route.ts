// GET /api/workspaces/:slug/bots - the workspace's bots (admins); POST - create one, its token and signing secret shown once
import { createBot, listBots } from "@/lib/integrations/bots";
import { authed, readJson } from "@/lib/http/handler";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ bots: await listBots({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => createBot({ actor, slug: params.slug, input: await readJson(req) }), { status: 201 });
