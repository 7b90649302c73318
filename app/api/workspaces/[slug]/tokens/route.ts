// GET /api/workspaces/:slug/tokens - my personal API tokens here (never secrets); POST - create one, shown once
import { createUserToken, listMyTokens } from "@/lib/integrations/tokens";
import { authed, readJson } from "@/lib/http/handler";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ tokens: await listMyTokens({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => createUserToken({ actor, slug: params.slug, input: await readJson(req) }), { status: 201 });
