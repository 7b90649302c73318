/** Measures of text shared by validation (lib/validation.ts) and the browser; no zod here. */

/** Length in user-perceived code points, so 40,000 Chinese characters count as 40,000. */
export function countChars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
