/**
 * A Prisma filter for "contains this text, in any case". Prisma's `contains` is a LIKE pattern
 * whose % and _ stay wildcards (prisma/prisma#19506): escaped here, typed text matches as typed.
 */
export function containsText(text: string): { contains: string; mode: "insensitive" } {
  return { contains: text.replace(/[\\%_]/g, (c) => `\\${c}`), mode: "insensitive" };
}
