/**
 * The Slack-compatible Web API: `POST|GET /api/<method>` with a Bearer token (or `token` argument),
 * JSON or form-encoded arguments, answering `{ ok: true, ... }` or `{ ok: false, error }` as Slack does
 * (HTTP 200, or 429 with Retry-After when rate-limited). Every call acts through the domain services as
 * the token's user, confined to the token's workspace; writes are audited. See docs/slack-api.md.
 */
import { ensureDbReady } from "@/lib/db";
import { clientIp } from "@/lib/http/handler";
import { audit } from "@/lib/integrations/audit";
import { authenticateToken } from "@/lib/integrations/tokens";
import { consume } from "@/lib/rate-limit";
import { SlackError, readSlackRequest, toSlackError, type TMethodCtx } from "@/lib/slack/api/core";
import { apiTest, authRevoke, authTest } from "@/lib/slack/api/methods/auth";
import * as chat from "@/lib/slack/api/methods/chat";
import * as conversations from "@/lib/slack/api/methods/conversations";
import * as reactions from "@/lib/slack/api/methods/reactions";
import * as search from "@/lib/slack/api/methods/search";
import * as users from "@/lib/slack/api/methods/users";

type TMethod = { run: (ctx: TMethodCtx) => Promise<Record<string, unknown>>; write?: boolean };

const methods: Record<string, TMethod> = {
  "auth.test": { run: authTest },
  "auth.revoke": { run: authRevoke, write: true },
  "chat.postMessage": { run: chat.postMessage, write: true },
  "chat.update": { run: chat.update, write: true },
  "chat.delete": { run: chat.remove, write: true },
  "chat.postEphemeral": { run: chat.postEphemeral, write: true },
  "chat.getPermalink": { run: chat.getPermalink },
  "conversations.list": { run: conversations.list },
  "conversations.info": { run: conversations.info },
  "conversations.history": { run: conversations.history },
  "conversations.replies": { run: conversations.replies },
  "conversations.members": { run: conversations.members },
  "conversations.join": { run: conversations.join, write: true },
  "conversations.create": { run: conversations.create, write: true },
  "conversations.open": { run: conversations.open, write: true },
  "conversations.invite": { run: conversations.invite, write: true },
  "conversations.leave": { run: conversations.leave, write: true },
  "conversations.setTopic": { run: conversations.setTopic, write: true },
  "conversations.setPurpose": { run: conversations.setPurpose, write: true },
  "conversations.rename": { run: conversations.rename, write: true },
  "conversations.archive": { run: conversations.archive, write: true },
  "conversations.unarchive": { run: conversations.unarchive, write: true },
  "users.list": { run: users.list },
  "users.info": { run: users.info },
  "users.lookupByEmail": { run: users.lookupByEmail },
  "reactions.add": { run: reactions.add, write: true },
  "reactions.remove": { run: reactions.remove, write: true },
  "reactions.get": { run: reactions.get },
  "pins.add": { run: reactions.pinsAdd, write: true },
  "pins.remove": { run: reactions.pinsRemove, write: true },
  "pins.list": { run: conversations.pinsList },
  "search.messages": { run: search.messages },
};

/** Names of the methods Parley answers (docs, tests). */
export const SLACK_METHODS = ["api.test", ...Object.keys(methods)];

function respond(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
}

function errorResponse(err: SlackError, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { ...extraHeaders };
  if (err.retryAfterSeconds) headers["Retry-After"] = String(err.retryAfterSeconds);
  const body: Record<string, unknown> = { ok: false, error: err.error, ...err.extra };
  // A readable reason for people debugging an integration (Slack puts these in response_metadata).
  if (err.message && err.message !== err.error && !body.response_metadata) body.response_metadata = { messages: [`[ERROR] ${err.message}`] };
  return respond(body, err.status, headers);
}

/** Answers one Web API request. */
export async function handleSlackApi(req: Request, method: string): Promise<Response> {
  if (req.method !== "GET" && req.method !== "POST") return errorResponse(new SlackError("method_not_allowed", "Use GET or POST", {}, 405));
  try {
    await ensureDbReady();
    const { args, token } = await readSlackRequest(req);
    if (method === "api.test") return respond({ ok: true, ...apiTest(args) });
    const entry = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!entry) throw new SlackError("unknown_method", `Parley does not implement ${method}`);
    const auth = await authenticateToken(token).catch((err: unknown) => {
      const reason = (err as { details?: { reason?: string } }).details?.reason;
      throw new SlackError(reason ?? "invalid_auth", (err as Error).message);
    });
    const scopeHeaders = { "x-oauth-scopes": auth.scopes.join(",") };
    await consume("webApi", `${auth.actor.tokenId}|${method}`, `${method} is rate-limited; retry after the Retry-After interval`).catch((err: unknown) => {
      throw toSlackError(err);
    });
    const ip = clientIp(req);
    const ctx: TMethodCtx = { auth, actor: auth.actor, args, req, ip };
    try {
      const result = await entry.run(ctx);
      if (entry.write) {
        // The conversation the result names (an id, or an object for conversations.create / open), else the one the call named.
        const named = typeof result.channel === "string" ? result.channel : (result.channel as { id?: unknown } | undefined)?.id;
        const channel = typeof named === "string" ? named : typeof args.channel === "string" ? args.channel : undefined;
        await audit({ workspaceId: auth.actor.workspaceId, actorId: auth.actor.userId, tokenId: auth.actor.tokenId, action: `api.${method}`, targetType: channel ? "channel" : undefined, targetId: channel, ip, details: typeof result.ts === "string" ? { ts: result.ts } : undefined });
      }
      return respond({ ok: true, ...result }, 200, scopeHeaders);
    } catch (err) {
      return errorResponse(toSlackError(err), scopeHeaders);
    }
  } catch (err) {
    return errorResponse(toSlackError(err));
  }
}
