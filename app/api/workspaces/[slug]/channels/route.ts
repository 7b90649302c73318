// GET /api/workspaces/:slug/channels - my conversations with unread counts; POST - create a channel
import { authed, readJson } from "@/lib/http/handler";
import { createChannel, listMyChannels } from "@/lib/channels/service";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ channels: await listMyChannels({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => ({ channel: await createChannel({ actor, slug: params.slug, input: await readJson(req) }) }), { status: 201 });
