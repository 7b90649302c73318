// GET /api/bots/:id - a bot and its tokens (never secrets); PATCH - change name, description, avatar, scopes; DELETE - deactivate it (admins)
import { deactivateBot, getBot, updateBot } from "@/lib/integrations/bots";
import { authed, readJson } from "@/lib/http/handler";

type TParams = { id: string };

// The signing secret is shown once, when the bot is created; the page never shows it again, so neither does this route.
export const GET = authed<TParams>(async ({ actor, params }) => {
  const { bot, tokens } = await getBot({ actor, botId: params.id });
  return { bot, tokens };
});
export const PATCH = authed<TParams>(async ({ actor, params, req }) => ({ bot: await updateBot({ actor, botId: params.id, input: await readJson(req) }) }));
export const DELETE = authed<TParams>(async ({ actor, params }) => ({ bot: await deactivateBot({ actor, botId: params.id }) }));
