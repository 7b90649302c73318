/**
 * Search that works for Chinese as well as English: NFKC folds full-width letters and digits
 * (ＡＢＣ１ → ABC1), case is ignored, and a plain substring match suits CJK text, which has no
 * spaces between words.
 */
export function normalizeForSearch(s: string): string {
  return s.normalize("NFKC").toLocaleLowerCase().trim();
}

/** Whether any of `fields` contains the query (an empty query matches everything). */
export function matchesSearch(query: string, ...fields: (string | null | undefined)[]): boolean {
  const needle = normalizeForSearch(query);
  if (!needle) return true;
  return fields.some((f) => !!f && normalizeForSearch(f).includes(needle));
}
