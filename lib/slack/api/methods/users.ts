/** users.* — the workspace's people and bots in Slack's user shape. */
import * as slackRepo from "@/lib/slack/repository";
import { SlackError, decodeCursor, encodeCursor, limitArg, requireScope, str, type TMethodCtx } from "@/lib/slack/api/core";
import { ZEmail } from "@/lib/validation";

/** A Slack handle from a display name or email: lower case, no spaces. */
function handleOf(name: string, email: string): string {
  const fromName = name.trim().toLowerCase().replace(/\s+/g, ".");
  return fromName || email.split("@")[0]!;
}

export function toSlackUser(r: slackRepo.TSlackUserRow, opts: { teamId: string; withEmail: boolean }) {
  const u = r.user;
  const statusLive = !u.statusExpiresAt || u.statusExpiresAt > new Date();
  const image = u.avatarUrl ?? "";
  const profile: Record<string, unknown> = {
    real_name: u.name,
    real_name_normalized: u.name,
    display_name: u.name,
    display_name_normalized: u.name,
    status_text: statusLive ? u.statusText : "",
    status_emoji: statusLive ? u.statusEmoji : "",
    status_expiration: statusLive && u.statusExpiresAt ? Math.floor(u.statusExpiresAt.getTime() / 1000) : 0,
    image_24: image,
    image_32: image,
    image_48: image,
    image_72: image,
    image_192: image,
    image_512: image,
    team: opts.teamId,
  };
  if (opts.withEmail && !u.isBot) profile.email = u.email;
  if (u.bot) {
    profile.bot_id = u.bot.id;
    profile.api_app_id = u.bot.id;
  }
  return {
    id: u.id,
    team_id: opts.teamId,
    name: handleOf(u.name, u.email),
    real_name: u.name,
    deleted: r.status !== "ACTIVE",
    tz: "UTC",
    tz_label: "Coordinated Universal Time",
    tz_offset: 0,
    is_admin: r.role === "ADMIN" || r.role === "OWNER",
    is_owner: r.role === "OWNER",
    is_primary_owner: false,
    is_restricted: r.role === "GUEST",
    is_ultra_restricted: false,
    is_bot: u.isBot,
    is_app_user: false,
    updated: Math.floor(u.updatedAt.getTime() / 1000),
    profile,
  };
}

export async function list(ctx: TMethodCtx) {
  requireScope(ctx, "users:read");
  const limit = limitArg(ctx.args, 200, 1000);
  const rows = await slackRepo.listWorkspaceUsers(ctx.actor.workspaceId, decodeCursor(ctx.args), limit + 1);
  const page = rows.slice(0, limit);
  const withEmail = ctx.auth.scopes.includes("users:read.email");
  return {
    members: page.map((r) => toSlackUser(r, { teamId: ctx.actor.workspaceId, withEmail })),
    cache_ts: Math.floor(Date.now() / 1000),
    response_metadata: { next_cursor: rows.length > limit ? encodeCursor(page.at(-1)!.userId) : "" },
  };
}

export async function info(ctx: TMethodCtx) {
  requireScope(ctx, "users:read");
  const userId = str(ctx.args, "user", { required: true, error: "user_not_found" });
  const row = await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, userId);
  if (!row) throw new SlackError("user_not_found", "No such user in this workspace");
  return { user: toSlackUser(row, { teamId: ctx.actor.workspaceId, withEmail: ctx.auth.scopes.includes("users:read.email") }) };
}

export async function lookupByEmail(ctx: TMethodCtx) {
  requireScope(ctx, "users:read.email");
  const parsed = ZEmail.safeParse(str(ctx.args, "email", { required: true, error: "users_not_found" }));
  if (!parsed.success) throw new SlackError("users_not_found", "No user with that email");
  const row = await slackRepo.findWorkspaceUserByEmail(ctx.actor.workspaceId, parsed.data);
  if (!row) throw new SlackError("users_not_found", "No user with that email in this workspace");
  return { user: toSlackUser(row, { teamId: ctx.actor.workspaceId, withEmail: true }) };
}
