// PATCH /api/workspaces/:slug/commands/:commandId - change a registered command; DELETE - remove it (admins)
import { deleteCommand, updateCommand } from "@/lib/commands/service";
import { authed, readJson } from "@/lib/http/handler";

type TParams = { slug: string; commandId: string };

export const PATCH = authed<TParams>(async ({ actor, params, req }) => ({ command: await updateCommand({ actor, slug: params.slug, commandId: params.commandId, input: await readJson(req) }) }));
export const DELETE = authed<TParams>(async ({ actor, params }) => deleteCommand({ actor, slug: params.slug, commandId: params.commandId }));
