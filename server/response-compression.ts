/**
 * Compression of everything Next answers (pages, route payloads, API answers), in place of Next's
 * own (`compress: false` in next.config.mjs). Next's gzips every answer as a stream, even a 100-byte
 * one, handing each piece to zlib's thread pool and back; on these machines that hand-off costs more
 * than the compressing: 11 % of the node's CPU per request for the reads a conversation's open makes
 * (docs/performance.md, Simulated users, 2026-11-28). Here:
 * - a JSON answer up to 64 KB (nearly all of the API's) is held until it ends, then sent as is under
 *   1 KB, else compressed in one call on this thread — a 28 KB history page in 204 µs of CPU as
 *   brotli, against 483 µs as Next's gzip stream;
 * - everything else (pages, which stream their <head> first; larger answers) goes through the
 *   `compression` middleware, as a stream, as before.
 * Brotli (quality 4) for clients that take it — every browser — else gzip.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import zlib from "node:zlib";
import compression from "compression";
import Negotiator from "negotiator";

type THandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Smaller answers gain nothing from compression. */
const MIN_BYTES = 1024;
/** Larger JSON answers (a whole member list) are compressed as a stream, off this thread. */
const INLINE_MAX_BYTES = 64 * 1024;
/** Brotli's cheapest quality that still beats gzip's default on chat JSON (~14 % smaller). */
const BROTLI_QUALITY = 4;
/** Best first: brotli is smaller than gzip on chat JSON, HTML and scripts alike. */
export const ENCODINGS = ["br", "gzip"] as const;
export type TEncoding = (typeof ENCODINGS)[number];

/** `handle` with its answers compressed, or as it is when a balancer compresses (`off`). */
export function withResponseCompression(setting: "on" | "off", handle: THandler): THandler {
  if (setting === "off") return handle;
  // Typed for Express; it uses nothing of Express beyond Node's request and response.
  const streamed = compression({ threshold: MIN_BYTES, brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } } }) as unknown as (
    req: IncomingMessage,
    res: ServerResponse,
    next: () => void,
  ) => void;
  return (req, res) =>
    streamed(req, res, () => {
      const encoding = req.method === "HEAD" ? undefined : preferredEncoding(req);
      if (encoding) holdSmallJson(res, encoding);
      handle(req, res);
    });
}

/** Ours to choose among those the client takes (q > 0): Chromium lists "gzip, deflate, br, zstd". */
export function preferredEncoding(req: IncomingMessage): TEncoding | undefined {
  const acceptable = new Negotiator(req).encodings([...ENCODINGS]);
  return ENCODINGS.find((e) => acceptable.includes(e));
}

function compress(body: Buffer, encoding: TEncoding): Buffer {
  if (encoding === "gzip") return zlib.gzipSync(body);
  return zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
}

type TWriteCallback = (err?: Error | null) => void;

function toBuffer(chunk: unknown, encoding: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8");
}

/**
 * Holds the body of a JSON answer until it ends (decided when its headers are final: when they are
 * flushed or at the first write), then sends it, compressed when it is worth it, with its length.
 * The layer below (`compression`) sees the encoding, or a length under its threshold, and passes it
 * through. An answer that outgrows INLINE_MAX_BYTES, or is not JSON, goes on to that layer as it comes.
 */
function holdSmallJson(res: ServerResponse, encoding: TEncoding): void {
  const [write, end, flushHeaders] = [res.write, res.end, res.flushHeaders];
  // Loosely typed: they are called with whatever arguments the caller gave.
  const writeOn = (target: ServerResponse, args: unknown[]) => (write as (...a: unknown[]) => boolean).apply(target, args);
  const endOn = (target: ServerResponse, args: unknown[]) => (end as (...a: unknown[]) => ServerResponse).apply(target, args);
  let held: Buffer[] | null = null;
  let size = 0;
  const release = () => {
    res.write = write;
    res.end = end;
    res.flushHeaders = flushHeaders;
  };
  /** Whether to hold this answer: decided once, when its headers are final. */
  const holds = (): boolean => {
    if (held) return true;
    const isJson = /^application\/json\b/i.test(String(res.getHeader("content-type") ?? ""));
    if (!isJson || res.headersSent || res.hasHeader("content-encoding") || res.statusCode === 204 || res.statusCode === 304) {
      release();
      return false;
    }
    held = [];
    return true;
  };
  const hold = (chunk: unknown, chunkEncoding: unknown) => {
    if (chunk == null || typeof chunk === "function") return;
    const buffer = toBuffer(chunk, chunkEncoding);
    held!.push(buffer);
    size += buffer.length;
  };

  // Next sends an answer's headers before its first piece: a held answer's go with its body.
  res.flushHeaders = function (this: ServerResponse) {
    if (!holds()) flushHeaders.call(this);
  };

  res.write = function (this: ServerResponse, chunk: unknown, encodingOrCallback?: unknown, callback?: unknown) {
    if (!holds()) return writeOn(this, [chunk, encodingOrCallback, callback]);
    hold(chunk, encodingOrCallback);
    const done = (typeof encodingOrCallback === "function" ? encodingOrCallback : callback) as TWriteCallback | undefined;
    if (size > INLINE_MAX_BYTES) {
      const body = Buffer.concat(held!);
      held = null;
      release();
      return writeOn(this, [body, done]);
    }
    if (done) process.nextTick(done);
    return true;
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, chunk?: unknown, encodingOrCallback?: unknown, callback?: unknown) {
    if (!holds()) return endOn(this, [chunk, encodingOrCallback, callback]);
    hold(chunk, encodingOrCallback);
    const done = (typeof chunk === "function" ? chunk : typeof encodingOrCallback === "function" ? encodingOrCallback : callback) as (() => void) | undefined;
    let body: Buffer = Buffer.concat(held!);
    held = null;
    release();
    if (body.length >= MIN_BYTES) {
      body = compress(body, encoding);
      this.setHeader("Content-Encoding", encoding);
    }
    this.setHeader("Content-Length", body.length);
    return endOn(this, [body, done]);
  } as ServerResponse["end"];
}
