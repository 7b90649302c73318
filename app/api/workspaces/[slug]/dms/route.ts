// POST /api/workspaces/:slug/dms - open (or find) a DM / group DM with { userIds }
import { authed, readJson } from "@/lib/http/handler";
import { openDm } from "@/lib/channels/service";

export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => ({ channel: await openDm({ actor, slug: params.slug, input: await readJson(req) }) }));
