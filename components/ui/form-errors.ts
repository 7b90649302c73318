/**
 * One shape for a form's errors, whether they come from the shared zod schema (checked in the
 * browser before sending) or from the server's `{ error: { code, message, details } }`.
 */
import type { z } from "zod";
import { ApiError } from "@/lib/client/api";

export type TFormErrors = {
  /** One message per field name, shown under that field. */
  fields: Record<string, string>;
  /** A message about the whole form (network down, rate limited, forbidden). */
  form?: string;
};

export const noFormErrors: TFormErrors = { fields: {} };

type TLabels = Record<string, string>;
type TIssue = { path: string | readonly PropertyKey[]; message: string };

/**
 * Reads a schema message as a sentence about the field: "must be at least 8 characters" becomes
 * "Password must be at least 8 characters"; a message that is already a sentence is kept.
 */
export function describeIssue(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}

function issuePathKey(path: TIssue["path"]): string {
  return typeof path === "string" ? path : path.map(String).join(".");
}

/** Maps issues to fields named in `labels`; issues about other paths become the form's error. */
export function issuesToFormErrors(issues: readonly TIssue[], labels: TLabels, fallback = "Check the form and try again"): TFormErrors {
  const fields: Record<string, string> = {};
  const stray: string[] = [];
  for (const issue of issues) {
    const key = issuePathKey(issue.path);
    const field = Object.keys(labels).find((name) => key === name || key.startsWith(`${name}.`));
    if (field) fields[field] ??= describeIssue(labels[field]!, issue.message);
    else stray.push(issue.message);
  }
  const form = stray.length > 0 ? stray[0] : Object.keys(fields).length === 0 ? fallback : undefined;
  return { fields, form };
}

/** Checks values against a shared schema before sending: the parsed data, or the errors to show. */
export function validateForm<S extends z.ZodType>(schema: S, values: unknown, labels: TLabels): { ok: true; data: z.output<S> } | { ok: false; errors: TFormErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: issuesToFormErrors(result.error.issues, labels) };
}

function isIssueList(details: unknown): details is TIssue[] {
  return Array.isArray(details) && details.every((d) => typeof d === "object" && d !== null && "path" in d && "message" in d);
}

/**
 * Turns a failed request into errors next to the right fields. A conflict (409) is about one field
 * (email taken, URL taken): name it in `conflictField` to show the server's full sentence there.
 */
export function toFormErrors(err: unknown, labels: TLabels, opts: { conflictField?: string } = {}): TFormErrors {
  if (!(err instanceof ApiError)) return { fields: {}, form: "Something went wrong; try again" };
  if (err.code === "conflict" && opts.conflictField) return { fields: { [opts.conflictField]: err.message } };
  if (isIssueList(err.details)) {
    const errors = issuesToFormErrors(err.details, labels, err.message);
    // The sentence "The URL "x" is already taken" says more than "URL is already taken".
    if (err.code === "conflict" && Object.keys(errors.fields).length === 1) {
      const [field] = Object.keys(errors.fields);
      return { fields: { [field!]: err.message } };
    }
    return errors;
  }
  return { fields: {}, form: err.message };
}

/** The message to show for a failed action that has no form (a button in a table row). */
export function describeError(err: unknown): string {
  return err instanceof ApiError ? err.message : "Something went wrong; try again";
}

/** Removes one field's error (the person is fixing it). */
export function clearFieldError(errors: TFormErrors, field: string): TFormErrors {
  if (!(field in errors.fields)) return errors;
  const { [field]: _removed, ...rest } = errors.fields;
  return { ...errors, fields: rest };
}
