/** api.test, auth.test, auth.revoke. */
import { publicBaseUrl } from "@/lib/env";
import { revokeToken } from "@/lib/integrations/tokens";
import * as slackRepo from "@/lib/slack/repository";
import { SlackError, bool, str, type TArgs, type TMethodCtx } from "@/lib/slack/api/core";
import { tokenWorkspace } from "@/lib/slack/api/shared";

/** Echoes its arguments; `error` makes it fail with that error, as Slack's does. */
export function apiTest(args: TArgs) {
  const error = str(args, "error");
  if (error) throw new SlackError(error, "Requested by the error argument");
  return Object.keys(args).length ? { args } : {};
}

export async function authTest(ctx: TMethodCtx) {
  const [ws, me] = await Promise.all([tokenWorkspace(ctx), slackRepo.findWorkspaceUser(ctx.actor.workspaceId, ctx.actor.userId)]);
  return {
    url: `${publicBaseUrl()}/`,
    team: ws.name,
    user: me?.user.name ?? "",
    team_id: ws.id,
    user_id: ctx.actor.userId,
    ...(ctx.auth.botId ? { bot_id: ctx.auth.botId, app_id: ctx.auth.botId } : {}),
    is_enterprise_install: false,
  };
}

export async function authRevoke(ctx: TMethodCtx) {
  if (bool(ctx.args, "test")) return { revoked: false };
  await revokeToken({ actor: ctx.actor, tokenId: ctx.actor.tokenId });
  return { revoked: true };
}
