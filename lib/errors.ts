/**
 * One error type for the whole app and one mapper to the JSON shape every API answers with:
 * `{ "error": { "code": "...", "message": "...", "details"?: ... } }`.
 */
import { ZodError } from "zod";

export type TErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "rate_limited"
  | "unavailable"
  | "internal";

const statusByCode: Record<TErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return statusByCode[this.code];
  }
}

export type TErrorBody = { error: { code: TErrorCode; message: string; details?: unknown } };

/** Shorthand for the common "does not exist or you may not see it" answer. */
export function notFound(what = "Not found"): AppError {
  return new AppError("not_found", what);
}

export function forbidden(message = "You do not have permission to do that"): AppError {
  return new AppError("forbidden", message);
}

function isPrismaKnownError(err: unknown): err is { code: string; meta?: Record<string, unknown> } {
  return typeof err === "object" && err !== null && "code" in err && typeof (err as { code: unknown }).code === "string" && /^P\d{4}$/.test((err as { code: string }).code);
}

/** Maps any thrown value to an AppError; unknown causes become "internal" and are logged, never sent. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const first = issues[0];
    return new AppError("validation_failed", first ? (first.path ? `${first.path}: ${first.message}` : first.message) : "Invalid input", issues);
  }
  if (isPrismaKnownError(err)) {
    if (err.code === "P2002") return new AppError("conflict", "That already exists");
    if (err.code === "P2025") return new AppError("not_found", "Not found");
    if (err.code === "P2023") return new AppError("validation_failed", "Malformed id");
  }
  if (err instanceof SyntaxError) return new AppError("validation_failed", "Malformed JSON body");
  if (isUnstorableText(err)) return new AppError("validation_failed", "The input contains a character that cannot be stored (NUL)");
  if (isDbUnavailable(err)) return new AppError("unavailable", "The database is not answering; try again");
  console.error("[parley] internal error:", err);
  return new AppError("internal", "Something went wrong on our side");
}

/**
 * PostgreSQL refuses NUL in text (22021; 22P05 for characters the encoding lacks). Validators refuse
 * it first (zText); this keeps input any of them missed a clear 422 instead of a 500.
 */
function isUnstorableText(err: unknown): boolean {
  const direct = (err as { code?: unknown })?.code;
  const viaPrisma = (err as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })?.meta?.driverAdapterError?.cause?.originalCode;
  return [direct, viaPrisma].some((code) => code === "22021" || code === "22P05");
}

function isDbUnavailable(err: unknown): boolean {
  const text = String((err as { message?: string })?.message ?? err);
  return /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|too many clients|DatabaseNotReachable|P1001|P1017/i.test(text);
}

/** The body and status an API answers with for this error. */
export function toErrorResponse(err: unknown): { status: number; body: TErrorBody; headers: Record<string, string> } {
  const e = toAppError(err);
  const headers: Record<string, string> = {};
  if (e.retryAfterSeconds) headers["Retry-After"] = String(e.retryAfterSeconds);
  const body: TErrorBody = { error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) } };
  return { status: e.status, body, headers };
}
