// GET /api/workspaces/:slug/channels/browse - public and announcement channels to join
import { authed } from "@/lib/http/handler";
import { browseChannels } from "@/lib/channels/service";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ channels: await browseChannels({ actor, slug: params.slug }) }));
