/**
 * Events API settings for a bot, for workspace admins (the integrations page and its API): set the
 * request URL (verified with Slack's url_verification challenge before it is stored), the event
 * subscriptions, re-enable an endpoint the dispatcher disabled, and see recent deliveries.
 */
import { randomBytes } from "node:crypto";
import { AppError, notFound } from "@/lib/errors";
import { getEventsConfig } from "@/lib/events/config";
import { verificationTokenFor } from "@/lib/events/outbox";
import * as repo from "@/lib/events/repository";
import { EVENT_SCOPES, ZSetEventsUrl, type TEventsStatus } from "@/lib/events/schema";
import { signSlackRequest } from "@/lib/events/signing";
import { audit } from "@/lib/integrations/audit";
import { OutboundError, redactUrl, safeFetch } from "@/lib/outbound/http";
import { assertCan } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

const RECENT_DELIVERIES = 20;

/** The bot, for an admin of its workspace: 404 for anyone outside it, 403 for non-admins inside. */
async function getManagedBot(actor: TActor, botId: string) {
  const bot = typeof botId === "string" && botId.length <= 64 ? await repo.findBotForEvents(botId) : null;
  if (!bot) throw notFound("Bot not found");
  const access = await getWorkspaceAccess({ actor, workspaceId: bot.workspaceId }).catch((err: unknown) => {
    throw err instanceof AppError && err.code === "forbidden" ? err : notFound("Bot not found");
  });
  assertCan(access.role, "integrations.manage", "Only workspace admins manage integrations");
  return bot;
}

function urlError(message: string, reason: string): AppError {
  return new AppError("validation_failed", `The events URL did not pass verification: ${message}`, [{ path: "url", message, reason }]);
}

/**
 * Slack's handshake: POST {token, challenge, type: "url_verification"}, signed, and expect the
 * challenge back (as the plain body or as JSON {challenge}) with a 2xx.
 */
async function verifyUrl(url: string, signingSecret: string): Promise<void> {
  const challenge = randomBytes(24).toString("base64url");
  const body = JSON.stringify({ token: verificationTokenFor(signingSecret), challenge, type: "url_verification" });
  let res;
  try {
    res = await safeFetch(url, { method: "POST", headers: { "content-type": "application/json", ...signSlackRequest(signingSecret, body) }, body }, { timeoutMs: getEventsConfig().verifyTimeoutMs, maxBytes: 64 * 1024 });
  } catch (err) {
    if (err instanceof OutboundError) throw urlError(err.reason === "timeout" ? `no answer within ${getEventsConfig().verifyTimeoutMs / 1000} s` : err.message, err.reason);
    throw err;
  }
  if (res.status < 200 || res.status >= 300) throw urlError(`it answered HTTP ${res.status}`, "http_error");
  const text = res.text.trim();
  let echoed = text === challenge;
  if (!echoed) {
    try {
      echoed = (JSON.parse(text) as { challenge?: unknown })?.challenge === challenge;
    } catch {
      echoed = false;
    }
  }
  if (!echoed) throw urlError("it did not answer with the challenge", "bad_challenge");
}

/**
 * Sets where the bot's events go and which it receives. A new URL is verified first (url_verification)
 * and stored only if it echoes the challenge; `url: null` turns events off. Admins only. Changing the
 * URL, or turning events off, drops deliveries still pending for the old one; a verified URL also
 * clears a disabled state.
 */
export async function setEventsUrl({ actor, botId, url, subscriptions }: { actor: TActor; botId: string; url: unknown; subscriptions?: unknown }): Promise<TEventsStatus> {
  const bot = await getManagedBot(actor, botId);
  const data = ZSetEventsUrl.parse({ url, subscriptions });
  const missing = data.subscriptions.filter((s) => !bot.scopes.includes(EVENT_SCOPES[s]));
  if (missing.length) {
    throw new AppError(
      "validation_failed",
      `subscriptions: the bot lacks the scopes for ${missing.join(", ")}`,
      missing.map((s) => ({ path: "subscriptions", message: `${s} needs the ${EVENT_SCOPES[s]} scope` })),
    );
  }
  const subs = [...new Set(data.subscriptions)];
  if (data.url === null) {
    await repo.updateBotEvents(bot.id, { eventsUrl: null, eventsVerifiedAt: null, eventSubscriptions: subs, eventFailures: 0, eventsDisabledAt: null, eventsDisabledReason: null });
    await repo.dropPendingDeliveries(bot.id, "events turned off");
    await audit({ workspaceId: bot.workspaceId, actorId: actor.userId, tokenId: actor.tokenId, action: "bot.events_off", targetType: "bot", targetId: bot.id });
    return getEventsStatus({ actor, botId });
  }
  const unchanged = data.url === bot.eventsUrl && !!bot.eventsVerifiedAt;
  if (!unchanged) await verifyUrl(data.url, bot.signingSecret);
  await repo.updateBotEvents(bot.id, {
    eventsUrl: data.url,
    eventSubscriptions: subs,
    ...(unchanged ? {} : { eventsVerifiedAt: new Date(), eventFailures: 0, eventsDisabledAt: null, eventsDisabledReason: null }),
  });
  if (!unchanged && bot.eventsUrl) await repo.dropPendingDeliveries(bot.id, "events URL changed");
  await audit({
    workspaceId: bot.workspaceId,
    actorId: actor.userId,
    tokenId: actor.tokenId,
    action: "bot.events_url_set",
    targetType: "bot",
    targetId: bot.id,
    details: { url: redactUrl(data.url), subscriptions: subs, verified: !unchanged },
  });
  return getEventsStatus({ actor, botId });
}

/** Turns a disabled endpoint back on (failure count reset); later events are delivered again. */
export async function reenableEvents({ actor, botId }: { actor: TActor; botId: string }): Promise<TEventsStatus> {
  const bot = await getManagedBot(actor, botId);
  if (!bot.eventsUrl) throw new AppError("validation_failed", "This bot has no events URL; set one first");
  await repo.updateBotEvents(bot.id, { eventFailures: 0, eventsDisabledAt: null, eventsDisabledReason: null });
  await audit({ workspaceId: bot.workspaceId, actorId: actor.userId, tokenId: actor.tokenId, action: "bot.events_reenabled", targetType: "bot", targetId: bot.id });
  return getEventsStatus({ actor, botId });
}

/** URL, verification, subscriptions, disabled state and the latest deliveries, for the integrations page. */
export async function getEventsStatus({ actor, botId }: { actor: TActor; botId: string }): Promise<TEventsStatus> {
  const bot = await getManagedBot(actor, botId);
  const rows = await repo.listRecentDeliveries(bot.id, RECENT_DELIVERIES);
  return {
    botId: bot.id,
    url: bot.eventsUrl,
    verifiedAt: bot.eventsVerifiedAt?.toISOString() ?? null,
    subscriptions: bot.eventSubscriptions,
    disabledAt: bot.eventsDisabledAt?.toISOString() ?? null,
    disabledReason: bot.eventsDisabledReason,
    consecutiveFailures: bot.eventFailures,
    failureLimit: getEventsConfig().disableAfterFailures,
    recentDeliveries: rows.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      eventType: r.eventType,
      attempts: r.attempts,
      state: r.deliveredAt ? "delivered" : r.failedAt ? "failed" : "pending",
      nextAttemptAt: r.deliveredAt || r.failedAt ? null : r.nextAttemptAt.toISOString(),
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      failedAt: r.failedAt?.toISOString() ?? null,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}
