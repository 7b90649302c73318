// POST /api/commands/run - runs "/cmd args" in a conversation; replies arrive as ephemeral messages
import { runCommand } from "@/lib/commands/service";
import { authed, readJson } from "@/lib/http/handler";

export const POST = authed(async ({ actor, req, url }) => runCommand({ actor, input: await readJson(req), baseUrl: url.origin }));
