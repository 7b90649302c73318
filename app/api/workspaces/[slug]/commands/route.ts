// GET /api/workspaces/:slug/commands - built-in and registered slash commands; POST - register one (admins)
import { createCommand, listCommands } from "@/lib/commands/service";
import { authed, readJson } from "@/lib/http/handler";

export const GET = authed<{ slug: string }>(async ({ actor, params }) => ({ commands: await listCommands({ actor, slug: params.slug }) }));
export const POST = authed<{ slug: string }>(async ({ actor, params, req }) => ({ command: await createCommand({ actor, slug: params.slug, input: await readJson(req) }) }), { status: 201 });
