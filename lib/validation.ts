/** Zod building blocks shared by every domain's schema.ts. */
import { z } from "zod";

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text that is valid Unicode (no lone UTF-16 surrogates, no NUL, which PostgreSQL rejects). */
export function zText() {
  return z
    .string()
    .refine((s) => !loneSurrogate.test(s), "contains invalid characters (a lone UTF-16 surrogate)")
    .refine((s) => !s.includes("\u0000"), "contains a NUL character");
}

/** Why `s` is not storable text (zText's first problem, e.g. "contains a NUL character"), or null. */
export function textProblem(s: string): string | null {
  const valid = zText().safeParse(s);
  return valid.success ? null : valid.error.issues[0]!.message;
}

/** An entity id (cuid). Anything else is a validation error, never a database error. */
export const ZId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "is not a valid id");

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "is not a valid email address" }));

export const ZPassword = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(256, "must be at most 256 characters")
  .pipe(zText());

export const ZPersonName = zText().pipe(z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"));
