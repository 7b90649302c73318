// GET /api/workspaces/:slug/invites - invites; POST - create an invite link (optionally for one email)
import { authed, readJson } from "@/lib/http/handler";
import { createInvite, listInvites } from "@/lib/workspaces/service";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ invites: await listInvites({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req, url }) => {
  const created = await createInvite({ actor, slug: params.slug, input: await readJson(req) });
  return { ...created, url: `${url.origin}${created.path}` };
}, { status: 201 });
