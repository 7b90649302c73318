/**
 * The build's static files served compressed by the Node server (server/static-assets.ts), over real
 * HTTP: what it answers, and that it leaves everything else to Next (here, a stand-in that says so).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticAssets } from "@/server/static-assets";

type TResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

let dir: string;
let server: Server;
let port: number;
const script = Buffer.from(Array.from({ length: 2000 }, (_, i) => `export const value${i} = "第${i}条 message ${i % 7}";\n`).join(""));

function get(urlPath: string, headers: Record<string, string> = {}, method = "GET"): Promise<TResponse> {
  return new Promise((resolve, reject) => {
    // A raw path: no URL parsing on the way, so "../" and its escapes reach the server as written.
    const req = request({ host: "127.0.0.1", port, path: urlPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Asks until the file is served compressed (the first asks start the compression and go to Next). */
async function whenCompressed(urlPath: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const res = await get(urlPath, { "Accept-Encoding": "br" });
    if (res.headers["content-encoding"] === "br") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${urlPath} was never served compressed`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "parley-static-"));
  mkdirSync(path.join(dir, "static", "chunks"), { recursive: true });
  mkdirSync(path.join(dir, "static", "media"), { recursive: true });
  writeFileSync(path.join(dir, "static", "chunks", "app.js"), script);
  writeFileSync(path.join(dir, "static", "chunks", "style.css"), "body{color:#111}\n".repeat(200));
  writeFileSync(path.join(dir, "static", "media", "font.woff2"), Buffer.alloc(4096, 7));
  writeFileSync(path.join(dir, "secret.js"), "export const secret = 1;\n".repeat(200));
  const serve = createStaticAssets(path.join(dir, "static"));
  server = createServer((req, res) => {
    if (serve(req, res)) return;
    res.writeHead(299, { "Content-Type": "text/plain" }).end("left to Next");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe("static assets", () => {
  it("leaves the first request to Next, then serves the file compressed with brotli, as the browser asked", async () => {
    const first = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(first.status).toBe(299);
    await whenCompressed("/_next/static/chunks/app.js");

    const res = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("br");
    expect(res.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["vary"]).toBe("Accept-Encoding");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(Number(res.headers["content-length"])).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(script.length / 4);
    expect(zlib.brotliDecompressSync(res.body).equals(script)).toBe(true);
  });

  it("serves gzip to clients that take only gzip or refuse brotli, and leaves the rest to Next", async () => {
    await whenCompressed("/_next/static/chunks/app.js");
    for (const accept of ["gzip", "br;q=0, gzip", "deflate, gzip;q=0.5"]) {
      const res = await get("/_next/static/chunks/app.js", { "Accept-Encoding": accept });
      expect(res.headers["content-encoding"], accept).toBe("gzip");
      expect(zlib.gunzipSync(res.body).equals(script)).toBe(true);
    }
    for (const accept of ["identity", "deflate", "br;q=0, gzip;q=0"]) {
      expect((await get("/_next/static/chunks/app.js", { "Accept-Encoding": accept })).status, accept).toBe(299);
    }
    expect((await get("/_next/static/chunks/app.js")).status).toBe(299);
  });

  it("gives each encoding its own validator and answers a matching one with 304; HEAD has no body", async () => {
    await whenCompressed("/_next/static/chunks/app.js");
    const br = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "br" });
    const gz = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "gzip" });
    expect(br.headers.etag).toMatch(/^"[\w-]+-br"$/);
    expect(gz.headers.etag).not.toBe(br.headers.etag);

    const notModified = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "br", "If-None-Match": `"other", ${br.headers.etag}` });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    // The brotli validator does not match the gzip representation.
    expect((await get("/_next/static/chunks/app.js", { "Accept-Encoding": "gzip", "If-None-Match": br.headers.etag as string })).status).toBe(200);

    const head = await get("/_next/static/chunks/app.js", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(Number(head.headers["content-length"])).toBe(br.body.length);
    expect(head.body.length).toBe(0);
  });

  it("serves styles with their type, and leaves byte ranges, queries' other paths and other methods to Next", async () => {
    await whenCompressed("/_next/static/chunks/style.css");
    const css = await get("/_next/static/chunks/style.css?v=1", { "Accept-Encoding": "br" });
    expect(css.headers["content-type"]).toBe("text/css; charset=UTF-8");
    expect((await get("/_next/static/chunks/app.js", { "Accept-Encoding": "br", Range: "bytes=0-10" })).status).toBe(299);
    expect((await get("/_next/static/chunks/app.js", { "Accept-Encoding": "br" }, "POST")).status).toBe(299);
    expect((await get("/_next/image?url=x", { "Accept-Encoding": "br" })).status).toBe(299);
  });

  it("never serves files outside the build's static folder, files of other kinds, or missing files", async () => {
    const attempts = ["/_next/static/../secret.js", "/_next/static/%2e%2e/secret.js", "/_next/static/chunks/..%2f..%2fsecret.js", "/_next/static/%2E%2E%2Fsecret.js", "/_next/static/chunks/%00app.js", "/_next/static/%E0%A4%A.js", "/_next/static/media/font.woff2", "/_next/static/chunks/missing.js"];
    // Asked for repeatedly, with time to compress anything they started: still Next's to answer.
    for (let round = 0; round < 3; round++) {
      for (const attempt of attempts) {
        const res = await get(attempt, { "Accept-Encoding": "br, gzip" });
        expect(res.status, attempt).toBe(299);
        expect(res.body.toString(), attempt).toBe("left to Next");
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
