/**
 * The build's static files (/_next/static/: scripts and styles, named by their content's hash and
 * never changed), answered compressed from memory. Compressed as they are sent, as Next's other
 * answers are (server/response-compression.ts), each would cost the node again on every load (~10 ms
 * for the 230 KB framework script on a slow machine, as gzip), while the page's own API reads wait.
 * Here each file is compressed once, the first time it is asked for, with brotli and gzip, off the
 * main thread (zlib's thread pool): a page's scripts and styles went from 288 KB of gzip in
 * 79–127 ms to 249 KB of brotli in 21–25 ms (docs/performance.md).
 * Until a file is ready, and for anything else (other files, byte ranges, clients that take neither
 * encoding), Next answers as before.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { SECURITY_HEADERS } from "@/lib/http/security-headers.mjs";
import { preferredEncoding, type TEncoding } from "@/server/response-compression";

const URL_PREFIX = "/_next/static/";
const CONTENT_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=UTF-8",
  ".css": "text/css; charset=UTF-8",
  ".json": "application/json; charset=UTF-8",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=UTF-8",
};
type TAsset = { contentType: string; hash: string; encoded: Record<TEncoding, Buffer> };

const brotliCompress = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The file under `root` that a /_next/static/ URL names, if it is one this module serves. */
function fileForUrl(root: string, url: string): string | null {
  if (!url.startsWith(URL_PREFIX)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.slice(URL_PREFIX.length).split("?")[0]!);
  } catch {
    return null;
  }
  if (relative.includes("\0")) return null;
  const file = path.resolve(root, relative);
  if (!file.startsWith(root + path.sep) || !Object.hasOwn(CONTENT_TYPES, path.extname(file))) return null;
  return file;
}

async function compress(file: string): Promise<TAsset> {
  const raw = await readFile(file);
  const [br, gz] = await Promise.all([
    brotliCompress(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    gzip(raw, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  const hash = createHash("sha256").update(raw).digest("base64url").slice(0, 22);
  return { contentType: CONTENT_TYPES[path.extname(file)]!, hash, encoded: { br, gzip: gz } };
}

/**
 * A request listener's first step: answers the request and returns true when it is for a static
 * file that is compressed and ready, else returns false (and starts compressing it if it exists).
 */
export function createStaticAssets(staticDir: string): (req: IncomingMessage, res: ServerResponse) => boolean {
  const root = path.resolve(staticDir);
  // Only files that exist get in, so the build's own files bound what is kept.
  const ready = new Map<string, TAsset>();
  const compressing = new Set<string>();
  // One file at a time: brotli's best quality takes ~1.5 s of CPU for a page's first scripts on a
  // slow machine (9 % smaller than quality 5, for 30 times the work), and on a 2-core machine four
  // at once would slow the very page loads that asked for them.
  let queue = Promise.resolve();

  return (req, res) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.headers.range || !req.url) return false;
    const file = fileForUrl(root, req.url);
    if (!file) return false;
    const asset = ready.get(file);
    if (!asset) {
      if (!compressing.has(file)) {
        compressing.add(file);
        queue = queue.then(() =>
          compress(file)
            .then((done) => void ready.set(file, done))
            .catch(() => undefined) // Missing or unreadable: Next answers (a 404), now and next time.
            .finally(() => compressing.delete(file)),
        );
      }
      return false;
    }
    const encoding = preferredEncoding(req);
    if (!encoding) return false;
    const body = asset.encoded[encoding];
    // A strong validator names one representation, so each encoding has its own.
    const etag = `"${asset.hash}-${encoding}"`;
    const headers: Record<string, string | number> = {
      "Cache-Control": "public, max-age=31536000, immutable",
      Vary: "Accept-Encoding",
      ETag: etag,
      ...Object.fromEntries(SECURITY_HEADERS.map((h) => [h.key, h.value])),
    };
    const ifNoneMatch = req.headers["if-none-match"];
    if (ifNoneMatch && ifNoneMatch.split(",").some((tag) => tag.trim() === etag || tag.trim() === "*")) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, "Content-Type": asset.contentType, "Content-Encoding": encoding, "Content-Length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
