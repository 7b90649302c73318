/**
 * Compression of Next's answers (server/response-compression.ts), over real HTTP, in front of a
 * stand-in that answers the way Next does: headers flushed before the first piece, `res.flush()`
 * after each piece, then the end.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { withResponseCompression } from "@/server/response-compression";

type TResponse = { status: number; headers: IncomingMessage["headers"]; raw: Buffer; text: string };

let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Serves `answer` (given the response, after Next-style headers) through the compression layer. */
async function serve(setting: "on" | "off", answer: (res: ServerResponse) => Promise<void> | void): Promise<number> {
  const handle = withResponseCompression(setting, (_req, res) => void answer(res));
  server = createServer(handle);
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** As Next's pipe-readable sends a body: flushHeaders, then each piece followed by flush(), then end. */
async function sendLikeNext(res: ServerResponse, contentType: string, pieces: (string | (() => Promise<void>))[], status = 200): Promise<void> {
  res.statusCode = status;
  res.setHeader("content-type", contentType);
  res.setHeader("vary", "rsc");
  let started = false;
  for (const piece of pieces) {
    if (typeof piece === "function") {
      await piece();
      continue;
    }
    if (!started) res.flushHeaders();
    started = true;
    res.write(Buffer.from(piece));
    (res as ServerResponse & { flush?: () => void }).flush?.();
  }
  res.end();
}

function decode(raw: Buffer, encoding: string | undefined): string {
  if (encoding === "br") return zlib.brotliDecompressSync(raw).toString();
  if (encoding === "gzip") return zlib.gunzipSync(raw).toString();
  return raw.toString();
}

function get(port: number, headers: Record<string, string>, method = "GET", onFirstData?: (text: string) => void): Promise<TResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", method, headers }, (res) => {
      const chunks: Buffer[] = [];
      // Decoded as it arrives, to see what reaches the client before the answer ends.
      const encoding = res.headers["content-encoding"];
      const decoder = encoding === "br" ? zlib.createBrotliDecompress() : encoding === "gzip" ? zlib.createGunzip() : null;
      let decodedSoFar = "";
      decoder?.on("data", (d: Buffer) => {
        decodedSoFar += d.toString();
        onFirstData?.(decodedSoFar);
      });
      res.on("data", (c: Buffer) => {
        chunks.push(c);
        if (decoder) decoder.write(c);
        else onFirstData?.(Buffer.concat(chunks).toString());
      });
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, raw, text: raw.length ? decode(raw, encoding as string | undefined) : "" });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const BROWSER = { "Accept-Encoding": "gzip, deflate, br, zstd" };
const messages = (n: number) => JSON.stringify({ messages: Array.from({ length: n }, (_, i) => ({ id: `m${i}`, seq: i, body: `第${i}条消息：部署完成 — deploy #${i} is done` })) });

describe("response compression", () => {
  it("sends a JSON answer whole: compressed with brotli for a browser, with its length, and intact (Chinese included)", async () => {
    const body = messages(60);
    const port = await serve("on", (res) => sendLikeNext(res, "application/json; charset=utf-8", [body.slice(0, 100), body.slice(100)]));
    const res = await get(port, BROWSER);
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(Number(res.headers["content-length"])).toBe(res.raw.length);
    expect(res.headers["transfer-encoding"]).toBeUndefined();
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(res.headers.vary).toMatch(/rsc/);
    expect(res.raw.length).toBeLessThan(Buffer.byteLength(body) / 3);
    expect(res.text).toBe(body);
  });

  it("uses gzip for a client without brotli, and sends as is to a client that takes neither", async () => {
    const body = messages(60);
    const port = await serve("on", (res) => sendLikeNext(res, "application/json", [body]));
    const gzip = await get(port, { "Accept-Encoding": "gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gzip.text).toBe(body);
    const plain = await get(port, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.text).toBe(body);
    const refused = await get(port, { "Accept-Encoding": "br;q=0, gzip;q=0" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.text).toBe(body);
  });

  it("leaves a small JSON answer uncompressed, with its length", async () => {
    const body = JSON.stringify({ user: { id: "u1", name: "小王" } });
    const port = await serve("on", (res) => sendLikeNext(res, "application/json", [body]));
    const res = await get(port, BROWSER);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(Number(res.headers["content-length"])).toBe(Buffer.byteLength(body));
    expect(res.text).toBe(body);
  });

  it("streams a large JSON answer compressed, whole", async () => {
    const body = messages(3000);
    expect(Buffer.byteLength(body)).toBeGreaterThan(128 * 1024);
    const pieces = Array.from({ length: 10 }, (_, i) => body.slice((i * body.length) / 10, ((i + 1) * body.length) / 10));
    const port = await serve("on", (res) => sendLikeNext(res, "application/json", pieces));
    const res = await get(port, BROWSER);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-length"]).toBeUndefined();
    expect(res.text).toBe(body);
  });

  it("streams a page: its first part reaches the browser before the rest is written", async () => {
    const head = `<!DOCTYPE html><html><head><title>Parley</title>${"<link rel=preload>".repeat(80)}</head>`;
    let firstPartArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstPartArrived = resolve));
    const port = await serve("on", (res) => sendLikeNext(res, "text/html; charset=utf-8", [head, () => arrived, "<body>频道</body></html>"]));
    const res = await get(port, BROWSER, "GET", (soFar) => {
      if (soFar.includes("</head>")) firstPartArrived();
    });
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.text).toBe(`${head}<body>频道</body></html>`);
  });

  it("answers HEAD without a body, and 204 and 304 as they are", async () => {
    const port = await serve("on", (res) => {
      const status = Number(res.req.headers["x-status"] ?? 200);
      if (status === 200) return sendLikeNext(res, "application/json", [messages(60)]);
      res.writeHead(status, { "content-type": "application/json" }).end();
    });
    const head = await get(port, BROWSER, "HEAD");
    expect(head.status).toBe(200);
    expect(head.raw.length).toBe(0);
    for (const status of [204, 304]) {
      const res = await get(port, { ...BROWSER, "x-status": String(status) });
      expect(res.status).toBe(status);
      expect(res.raw.length).toBe(0);
    }
  });

  it("sends everything as is when a balancer compresses (PARLEY_HTTP_COMPRESSION=off)", async () => {
    const body = messages(60);
    const port = await serve("off", (res) => sendLikeNext(res, "application/json", [body]));
    const res = await get(port, BROWSER);
    expect(res.headers["content-encoding"]).toBeUndefined();
    expect(res.text).toBe(body);
  });
});
