/**
 * Incoming webhooks in Slack's format: an admin creates one for a channel and gets a secret URL
 * `/hooks/<id>/<secret>`; anything POSTed there (JSON, or a form field `payload=`) is posted in that
 * channel by the webhook's own bot user. Only a hash of the secret is stored.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { getChannelAccess } from "@/lib/channels/access";
import { publicBaseUrl } from "@/lib/env";
import { ensureDbReady } from "@/lib/db";
import { AppError, notFound, toAppError } from "@/lib/errors";
import { audit } from "@/lib/integrations/audit";
import { insertAppUser } from "@/lib/integrations/bots";
import * as repo from "@/lib/integrations/repository";
import { ZCreateWebhook, type TWebhook } from "@/lib/integrations/schema";
import { findMessageByTs } from "@/lib/messages/repository";
import { sendMessage } from "@/lib/messages/service";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import { parseTs } from "@/lib/messages/ts";
import { assertCan } from "@/lib/permissions";
import { publish } from "@/lib/realtime/bus";
import { hashSecret } from "@/lib/secrets";
import { ZAttachments, ZBlocks } from "@/lib/slack/blocks";
import type { TActor } from "@/lib/users/service";
import { countChars } from "@/lib/text";
import { textProblem } from "@/lib/validation";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

type TWebhookRow = Awaited<ReturnType<typeof repo.listWebhooks>>[number];

function toWebhook(w: TWebhookRow): TWebhook {
  return { ...w, createdAt: w.createdAt.toISOString(), lastUsedAt: w.lastUsedAt?.toISOString() ?? null, revokedAt: w.revokedAt?.toISOString() ?? null };
}

export function webhookUrl(id: string, secret: string): string {
  return `${publicBaseUrl()}/hooks/${id}/${secret}`;
}

/** Creates a webhook posting into one channel; its URL (holding the secret) is returned once. */
export async function createWebhookIn(workspaceId: string, createdById: string, input: unknown): Promise<{ webhook: TWebhook; url: string }> {
  const data = ZCreateWebhook.parse(input);
  const access = await getChannelAccess({ userId: createdById, workspaceId }, data.channelId);
  if (access.channel.kind === "DM" || access.channel.kind === "GROUP_DM") throw new AppError("validation_failed", "Webhooks post into channels, not direct messages");
  if (access.channel.archivedAt) throw new AppError("validation_failed", "This channel is archived");
  const secret = randomBytes(24).toString("base64url");
  const webhook = await repo.transaction(async (tx) => {
    const userId = await insertAppUser(tx, { workspaceId, name: data.name });
    // The hook's bot is a member (and a named poster, so announcement channels work too).
    await repo.insertChannelMember(tx, { channelId: data.channelId, userId, isPoster: true });
    return repo.insertWebhook(tx, { workspaceId, channelId: data.channelId, userId, name: data.name, secretHash: hashSecret(secret), createdById });
  });
  await audit({ workspaceId, actorId: createdById, action: "webhook.created", targetType: "channel", targetId: data.channelId, details: { webhookId: webhook.id } });
  publish({ kind: "channel.memberAdded", workspaceId, channelId: data.channelId, userIds: [webhook.userId] });
  return { webhook: toWebhook(webhook), url: webhookUrl(webhook.id, secret) };
}

async function adminWorkspace(actor: TActor, slug: string) {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "integrations.manage", "Only workspace admins manage integrations");
  return workspace;
}

export async function createWebhook({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }) {
  const workspace = await adminWorkspace(actor, slug);
  return createWebhookIn(workspace.id, actor.userId, input);
}

export async function listWebhooks({ actor, slug }: { actor: TActor; slug: string }): Promise<TWebhook[]> {
  const workspace = await adminWorkspace(actor, slug);
  return (await repo.listWebhooks(workspace.id)).map(toWebhook);
}

export async function revokeWebhook({ actor, slug, webhookId }: { actor: TActor; slug: string; webhookId: string }): Promise<TWebhook> {
  const workspace = await adminWorkspace(actor, slug);
  const hook = await repo.findWebhook(webhookId);
  if (!hook || hook.workspaceId !== workspace.id) throw notFound("Webhook not found");
  const updated = await repo.updateWebhook(webhookId, { revokedAt: new Date() });
  await audit({ workspaceId: workspace.id, actorId: actor.userId, action: "webhook.revoked", targetType: "webhook", targetId: webhookId });
  return toWebhook(updated);
}

/** A webhook failure in Slack's words, with the HTTP status Slack uses. */
export class WebhookError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message?: string,
  ) {
    super(message ?? error);
  }
}

function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Parses a webhook request body: JSON, or form-encoded with the JSON in `payload`. */
export function parseWebhookBody(contentType: string, text: string): Record<string, unknown> {
  let raw = text;
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    const payload = new URLSearchParams(text).get("payload");
    if (payload === null) throw new WebhookError(400, "invalid_payload", "Form posts carry the message as JSON in a payload= field");
    raw = payload;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new WebhookError(400, "invalid_payload", "The payload is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new WebhookError(400, "invalid_payload", "The payload must be a JSON object");
  return body as Record<string, unknown>;
}

/** Posts a webhook payload into its channel; wrong id or secret → 404 and nothing posted. */
export async function postViaWebhook({ id, secret, payload, ip }: { id: string; secret: string; payload: Record<string, unknown>; ip?: string }): Promise<{ ts: string }> {
  const hook = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? await repo.findWebhook(id) : null;
  if (!hook || !secretMatches(secret, hook.secretHash)) throw new WebhookError(404, "no_service", "No such webhook");
  if (hook.revokedAt) throw new WebhookError(404, "no_service", "This webhook was revoked");
  const text = typeof payload.text === "string" ? payload.text : "";
  if (payload.text !== undefined && typeof payload.text !== "string") throw new WebhookError(400, "invalid_payload", "text must be a string");
  if (countChars(text) > MAX_MESSAGE_CHARS) throw new WebhookError(400, "msg_too_long", `text is over ${MAX_MESSAGE_CHARS} characters`);
  for (const field of ["text", "username"] as const) {
    const problem = typeof payload[field] === "string" ? textProblem(payload[field]) : null;
    if (problem) throw new WebhookError(400, "invalid_payload", `${field} ${problem}`);
  }
  const blocks = payload.blocks === undefined || payload.blocks === null ? null : ZBlocks.safeParse(payload.blocks);
  if (blocks && !blocks.success) throw new WebhookError(400, "invalid_blocks", blocks.error.issues[0]?.message);
  const attachments = payload.attachments === undefined || payload.attachments === null ? null : ZAttachments.safeParse(payload.attachments);
  if (attachments && !attachments.success) throw new WebhookError(400, "invalid_attachments", attachments.error.issues[0]?.message);
  const blockList = blocks?.success && (blocks.data as unknown[]).length ? (blocks.data as unknown[]) : null;
  const attachmentList = attachments?.success && (attachments.data as unknown[]).length ? (attachments.data as unknown[]) : null;
  if (!text.trim() && !blockList && !attachmentList) throw new WebhookError(400, "no_text", "Give text, blocks or attachments");
  const username = typeof payload.username === "string" ? payload.username.trim().slice(0, 80) || null : null;
  const iconUrl = typeof payload.icon_url === "string" && /^https?:\/\/\S+$/i.test(payload.icon_url) ? payload.icon_url : null;
  const iconEmoji = typeof payload.icon_emoji === "string" && /^:[a-z0-9_+'-]{1,100}:$/.test(payload.icon_emoji) ? payload.icon_emoji : null;
  let threadRootId: string | undefined;
  if (typeof payload.thread_ts === "string") {
    const ts = parseTs(payload.thread_ts);
    const root = ts === null ? null : await findMessageByTs(hook.channelId, ts);
    if (root && !root.deletedAt) threadRootId = root.threadRootId ?? root.id;
  }
  const actor = { userId: hook.userId, workspaceId: hook.workspaceId };
  try {
    const message = await sendMessage({
      actor,
      input: { channelId: hook.channelId, body: text, threadRootId },
      extras: { markup: payload.mrkdwn === false ? "plain" : "mrkdwn", blocks: blockList, attachments: attachmentList, overrideName: username, overrideIcon: iconUrl ?? iconEmoji, subtype: "bot_message" },
    });
    void repo.updateWebhook(hook.id, { lastUsedAt: new Date() }).catch(() => undefined);
    await audit({ workspaceId: hook.workspaceId, actorId: hook.userId, action: "webhook.posted", targetType: "channel", targetId: hook.channelId, ip, details: { webhookId: hook.id, ts: message.ts } });
    return { ts: message.ts };
  } catch (err) {
    if (err instanceof AppError) {
      if (err.code === "rate_limited") throw new WebhookError(429, "rate_limited", err.message);
      if (err.code === "not_found") throw new WebhookError(404, "channel_not_found", err.message);
      if (err.code === "forbidden") throw new WebhookError(410, "channel_is_archived", err.message);
      if (err.code === "validation_failed") throw new WebhookError(400, "invalid_payload", err.message);
    }
    throw err;
  }
}

const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

function plain(body: string, status: number, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });
}

/** Answers `POST /hooks/<id>/<secret>` in Slack's way: "ok", or the error's name with a 4xx status. */
export async function handleWebhookRequest(req: Request, id: string, secret: string): Promise<Response> {
  if (req.method !== "POST") return plain("invalid_method", 405, { allow: "POST" });
  try {
    await ensureDbReady();
    const body = await req.text();
    if (body.length > MAX_WEBHOOK_BODY_BYTES) return plain("request_too_large", 413);
    const payload = parseWebhookBody((req.headers.get("content-type") ?? "").toLowerCase(), body);
    await postViaWebhook({ id, secret, payload, ip: req.headers.get("x-real-ip") ?? undefined });
    return plain("ok", 200);
  } catch (err) {
    if (err instanceof WebhookError) return plain(err.error, err.status, err.status === 429 ? { "Retry-After": "1" } : {});
    const e = toAppError(err);
    return plain(e.code === "unavailable" ? "service_unavailable" : "internal_error", e.status >= 500 ? e.status : 500);
  }
}
