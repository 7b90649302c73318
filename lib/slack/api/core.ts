/**
 * The Slack-compatible Web API's plumbing: reading arguments the ways Slack accepts them (JSON,
 * form-encoded, query string; token in the Authorization header or a `token` argument), Slack's
 * error shape, scope checks, and turning Parley's AppErrors into Slack error names.
 */
import type { TChannelKind } from "@/lib/channels/schema";
import { AppError, toAppError } from "@/lib/errors";
import type { TAuthenticated } from "@/lib/integrations/tokens";
import { textProblem } from "@/lib/validation";

/** A Slack error: `{ ok: false, error }` plus optional fields (needed/provided, a readable message). */
export class SlackError extends Error {
  constructor(
    readonly error: string,
    message?: string,
    readonly extra: Record<string, unknown> = {},
    readonly status = 200,
    readonly retryAfterSeconds?: number,
  ) {
    super(message ?? error);
  }
}

export type TArgs = Record<string, unknown>;

export type TMethodCtx = {
  auth: TAuthenticated;
  actor: TAuthenticated["actor"];
  args: TArgs;
  req: Request;
  ip: string;
};

/** Caps the body we read, so a huge request is refused rather than buffered. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Fields Slack's clients send as JSON strings inside form-encoded bodies. */
const JSON_FIELDS = new Set(["blocks", "attachments", "metadata", "view"]);

/** Reads the arguments and the token from a Web API request. */
export async function readSlackRequest(req: Request): Promise<{ args: TArgs; token: string | null }> {
  const url = new URL(req.url);
  const args: TArgs = Object.fromEntries(url.searchParams);
  if (req.method === "POST") {
    const length = Number(req.headers.get("content-length") ?? 0);
    if (length > MAX_BODY_BYTES) throw new SlackError("request_too_large", "The request body is over 2 MB", {}, 413);
    const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const text = await req.text();
    if (text.length > MAX_BODY_BYTES) throw new SlackError("request_too_large", "The request body is over 2 MB", {}, 413);
    if (type === "application/json") {
      if (text.trim()) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new SlackError("invalid_payload", "The body is not valid JSON");
        }
        if (!body || typeof body !== "object" || Array.isArray(body)) throw new SlackError("invalid_payload", "The JSON body must be an object");
        Object.assign(args, body);
      }
    } else if (type === "multipart/form-data") {
      const form = await new Request(req.url, { method: "POST", headers: req.headers, body: text }).formData();
      for (const [k, v] of form) if (typeof v === "string") args[k] = v;
    } else if (text) {
      Object.assign(args, Object.fromEntries(new URLSearchParams(text)));
    }
  }
  for (const field of JSON_FIELDS) {
    const v = args[field];
    if (typeof v !== "string") continue;
    if (v.trim() === "") {
      delete args[field];
      continue;
    }
    try {
      args[field] = JSON.parse(v);
    } catch {
      throw new SlackError(`invalid_${field}`, `${field} is not valid JSON`);
    }
  }
  const header = req.headers.get("authorization");
  const bearer = header && /^Bearer\s+(.+)$/i.exec(header.trim())?.[1];
  const token = bearer || (typeof args.token === "string" ? args.token : null);
  delete args.token;
  return { args, token };
}

/** A required string argument; Slack answers `invalid_arguments` naming it when missing. */
export function str(args: TArgs, name: string, opts: { required: true; error?: string }): string;
export function str(args: TArgs, name: string, opts?: { required?: false }): string | undefined;
export function str(args: TArgs, name: string, opts: { required?: boolean; error?: string } = {}): string | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === "") {
    if (opts.required) throw new SlackError(opts.error ?? "invalid_arguments", `missing required field: ${name}`);
    return undefined;
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v !== "string") throw new SlackError("invalid_arguments", `${name} must be a string`);
  const problem = textProblem(v);
  if (problem) throw new SlackError("invalid_arguments", `${name} ${problem}`);
  return v;
}

/** Slack booleans arrive as true/false, "true"/"false" or "1"/"0". */
export function bool(args: TArgs, name: string, fallback = false): boolean {
  const v = args[name];
  if (v === undefined || v === null || v === "") return fallback;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "1" || v === 1) return true;
  if (v === "false" || v === "0" || v === 0) return false;
  throw new SlackError("invalid_arguments", `${name} must be true or false`);
}

/** A limit within Slack's bounds. */
export function limitArg(args: TArgs, fallback: number, max: number): number {
  const v = args.limit;
  if (v === undefined || v === null || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new SlackError("invalid_limit", "limit must be a non-negative integer");
  return n === 0 ? fallback : Math.min(n, max);
}

/** Opaque pagination cursors (Slack's response_metadata.next_cursor). */
export function encodeCursor(value: string): string {
  return Buffer.from(`c:${value}`).toString("base64url");
}

export function decodeCursor(args: TArgs): string | undefined {
  const raw = str(args, "cursor");
  if (!raw) return undefined;
  const decoded = Buffer.from(raw, "base64url").toString();
  if (!decoded.startsWith("c:")) throw new SlackError("invalid_cursor", "The cursor is not one this API returned");
  return decoded.slice(2);
}

/** Throws Slack's missing_scope unless the token holds one of `anyOf`. */
export function requireScope(ctx: TMethodCtx, ...anyOf: string[]): void {
  if (anyOf.some((s) => ctx.auth.scopes.includes(s))) return;
  throw new SlackError("missing_scope", `This token lacks the ${anyOf.join(" or ")} scope`, { needed: anyOf.join(","), provided: ctx.auth.scopes.join(",") });
}

/** Scope families by conversation type, as Slack splits them. */
export function channelScope(kind: TChannelKind, action: "read" | "history" | "write"): string {
  const family = kind === "DM" ? "im" : kind === "GROUP_DM" ? "mpim" : kind === "PRIVATE" ? "groups" : "channels";
  if (family === "channels" && action === "write") return "channels:manage";
  return `${family}:${action}`;
}

/** Slack's names for Parley's errors. `notFound` names what a not_found means for this method. */
export function toSlackError(err: unknown, notFound = "channel_not_found"): SlackError {
  if (err instanceof SlackError) return err;
  const e = toAppError(err);
  const reason = (e.details as { reason?: unknown } | undefined)?.reason;
  const issues = Array.isArray(e.details) ? (e.details as { path: string; message: string }[]) : [];
  if (typeof reason === "string") return new SlackError(reason, e.message);
  switch (e.code) {
    case "not_found":
      return new SlackError(notFound, e.message);
    case "forbidden":
      return new SlackError("restricted_action", e.message);
    case "validation_failed":
      return new SlackError("invalid_arguments", e.message, issues.length ? { response_metadata: { messages: issues.map((i) => `[ERROR] ${i.path ? `${i.path}: ` : ""}${i.message}`) } } : {});
    case "conflict":
      return new SlackError("name_taken", e.message);
    case "unauthorized":
      return new SlackError("invalid_auth", e.message);
    case "rate_limited":
      return new SlackError("ratelimited", e.message, {}, 429, e.retryAfterSeconds ?? 1);
    case "unavailable":
      return new SlackError("service_unavailable", e.message, {}, 503, 1);
    default:
      return new SlackError("internal_error", e.message);
  }
}

export function isAppError(err: unknown, code: AppError["code"]): boolean {
  return err instanceof AppError && err.code === code;
}
