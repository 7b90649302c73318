/**
 * A CommonJS package's default export, however it was imported: Node's ESM loader (the server under
 * tsx) hands over `module.exports` whole, with the export as its `.default`; Next's bundler hands over
 * the export itself.
 */
export function cjsDefault<T>(imported: T): T {
  return (imported as { default?: T }).default ?? imported;
}
