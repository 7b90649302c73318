// POST /api/bots/:id/rotate - revoke the bot's tokens and issue a new one, shown once (admins)
import { rotateBotToken } from "@/lib/integrations/bots";
import { authed } from "@/lib/http/handler";

export const POST = authed<{ id: string }>(async ({ actor, params }) => rotateBotToken({ actor, botId: params.id }), { status: 201 });
