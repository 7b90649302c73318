/**
 * Refusals of reaction, pin and thread changes. Each carries `details.reason`, named exactly as the
 * Slack Web API error it stands for, so the Web API maps it with `refusalReason(err)` and the
 * session API still answers with the shared error shape and status.
 */
import { AppError, type TErrorCode } from "@/lib/errors";

export type TRefusalReason =
  | "message_not_found"
  | "thread_not_found"
  | "invalid_name"
  | "already_reacted"
  | "no_reaction"
  | "too_many_emoji"
  | "too_many_reactions"
  | "already_pinned"
  | "no_pin"
  | "too_many_pins"
  | "not_in_channel"
  | "is_archived";

/** An AppError whose `details.reason` names the refusal. */
export function refuse(code: TErrorCode, reason: TRefusalReason, message: string): AppError {
  return new AppError(code, message, { reason });
}

/** The Slack-style reason of an error thrown by these services, if it is one of theirs. */
export function refusalReason(err: unknown): TRefusalReason | undefined {
  if (!(err instanceof AppError)) return undefined;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === "string" ? (reason as TRefusalReason) : undefined;
}
