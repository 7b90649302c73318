/** Suggesting a workspace URL from its name. The rules themselves are ZSlug's (lib/workspaces/schema). */
import { ZSlug } from "@/lib/workspaces/schema";

const maxSlugLength = 40;

/**
 * "Acme Design Team" → "acme-design-team", "Café Ünïon" → "cafe-union". Letters outside a–z (Chinese,
 * Cyrillic…) cannot appear in a URL slug, so they are dropped; what is left may be empty or too short.
 */
export function slugifyName(name: string): string {
  return name
    .normalize("NFKD") // Also folds full-width ＡＢＣ１２３ to ABC123.
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxSlugLength)
    .replace(/-+$/, "");
}

/** Four random lower-case letters or digits, for fallback slugs. */
export function makeRandomSuffix(): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789"; // No look-alikes (l/1, o/0).
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("");
}

/**
 * A URL suggestion for a workspace name. Names without Latin letters or digits ("设计团队") get
 * `team-<suffix>`; too short or reserved ones ("X", "Admin") get the suffix appended. The caller
 * keeps one suffix while the person types, so the suggestion does not flicker.
 */
export function suggestSlug(name: string, fallbackSuffix: string): string {
  const slug = slugifyName(name);
  if (!slug) return `team-${fallbackSuffix}`;
  if (ZSlug.safeParse(slug).success) return slug;
  return `${slug.slice(0, maxSlugLength - fallbackSuffix.length - 1)}-${fallbackSuffix}`;
}
