import { z } from "zod";
import { ZId, zText } from "@/lib/validation";

/**
 * Slack scope names Parley understands. Channel scopes come in families by conversation type:
 * channels:* (public), groups:* (private), im:* (DMs), mpim:* (group DMs).
 */
export const ALL_SCOPES = [
  "chat:write",
  "chat:write.customize",
  "chat:write.public",
  "channels:read",
  "channels:history",
  "channels:join",
  "channels:manage",
  "groups:read",
  "groups:history",
  "groups:write",
  "im:read",
  "im:history",
  "im:write",
  "mpim:read",
  "mpim:history",
  "mpim:write",
  "users:read",
  "users:read.email",
  "reactions:read",
  "reactions:write",
  "pins:read",
  "pins:write",
  "commands",
  "app_mentions:read",
  "incoming-webhook",
  /** search.messages: user tokens only, as in Slack. */
  "search:read",
] as const;
export type TScope = (typeof ALL_SCOPES)[number];

/** What a new bot gets unless the admin picks otherwise: read and write where it is a member. */
export const DEFAULT_BOT_SCOPES: TScope[] = ALL_SCOPES.filter((s) => s !== "chat:write.public" && s !== "incoming-webhook" && s !== "search:read");

export const ZScopes = z.array(z.enum(ALL_SCOPES, { error: "is not a scope Parley knows" })).max(ALL_SCOPES.length);

export const ZBotName = zText().pipe(z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"));

export const ZCreateBot = z.object({
  name: ZBotName,
  description: zText().pipe(z.string().trim().max(250, "must be at most 250 characters")).default(""),
  scopes: ZScopes.optional(),
  avatarUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000).nullable().optional(),
});

export const ZUpdateBot = z
  .object({
    name: ZBotName.optional(),
    description: zText().pipe(z.string().trim().max(250, "must be at most 250 characters")).optional(),
    scopes: ZScopes.optional(),
    avatarUrl: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).max(2000).nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");

export const ZCreateUserToken = z.object({
  name: zText().pipe(z.string().trim().min(1, "is required").max(80, "must be at most 80 characters")),
  scopes: ZScopes.optional(),
});

export const ZCreateWebhook = z.object({
  channelId: ZId,
  name: ZBotName.default("Incoming webhook"),
});

export type TBot = {
  id: string;
  workspaceId: string;
  userId: string;
  name: string;
  avatarUrl: string | null;
  description: string;
  scopes: string[];
  eventsUrl: string | null;
  eventsVerifiedAt: string | null;
  eventSubscriptions: string[];
  eventsDisabledAt: string | null;
  eventsDisabledReason: string | null;
  deactivatedAt: string | null;
  createdAt: string;
};

export type TApiToken = {
  id: string;
  kind: "BOT" | "USER";
  name: string;
  hint: string;
  scopes: string[];
  userId: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export type TWebhook = { id: string; channelId: string; name: string; userId: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };
