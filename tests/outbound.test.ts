/**
 * The SSRF guard (lib/outbound/http.ts) against hostile URLs, with real local HTTP servers on
 * 127.0.0.1: nothing private is reached unless allow-listed, redirects are re-checked, the socket is
 * pinned to the checked address, and slow or oversize answers are cut off.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

// A resolver the tests control for made-up names (rebinding, mixed answers); real names pass through.
const fakeDns = vi.hoisted(() => ({ answers: new Map<string, Array<Array<{ address: string; family: number }>>>() }));
vi.mock("node:dns/promises", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns/promises")>();
  const lookup = (async (host: string, opts: unknown) => {
    const queue = fakeDns.answers.get(host);
    if (queue?.length) return queue.length > 1 ? queue.shift()! : queue[0]!;
    return (real.lookup as (h: string, o: unknown) => Promise<unknown>)(host, opts);
  }) as typeof real.lookup;
  return { ...real, default: { ...real, lookup }, lookup };
});

import { parseAllowlist } from "@/lib/outbound/guard";
import { configureOutbound, OutboundError, safeFetch } from "@/lib/outbound/http";

type THit = { method: string; url: string; headers: IncomingMessage["headers"]; body: string };
let server: Server;
let base: string;
let port: number;
const hits: THit[] = [];
const openSockets = new Set<import("node:net").Socket>();

function route(req: IncomingMessage, res: ServerResponse, body: string): void {
  const url = new URL(req.url!, "http://x");
  switch (url.pathname) {
    case "/echo":
      res.writeHead(201, { "content-type": "application/json", "x-answer": "yes" });
      res.end(JSON.stringify({ method: req.method, body, 中文: "你好" }));
      return;
    case "/big": {
      const size = 2 * 1024 * 1024;
      if (url.searchParams.get("chunked")) {
        // No content-length: the cap must count bytes as they arrive.
        res.writeHead(200, { "content-type": "text/plain" });
        const chunk = Buffer.alloc(64 * 1024, "a");
        let sent = 0;
        const pump = () => {
          while (sent < size) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once("drain", pump);
          }
          res.end();
        };
        pump();
      } else {
        res.writeHead(200, { "content-length": String(size) });
        res.end(Buffer.alloc(size, "a"));
      }
      return;
    }
    case "/slow":
      return; // never answers
    case "/redirect":
      res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: url.searchParams.get("to")! });
      res.end();
      return;
    case "/loop":
      res.writeHead(302, { location: "/loop" });
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end("nope");
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      hits.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      route(req, res, body);
    });
  });
  server.on("connection", (s) => {
    openSockets.add(s);
    s.on("close", () => openSockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const s of openSockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  hits.length = 0;
  fakeDns.answers.clear();
  configureOutbound({ allowlist: "" });
});

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(OutboundError);
    return (err as OutboundError).reason;
  }
  throw new Error("expected the request to be refused");
}

describe("hostile URLs are refused before any connection", () => {
  const hostile = () => [
    `http://127.0.0.1:${port}/echo`,
    `http://[::1]:${port}/echo`,
    `http://0x7f.1:${port}/echo`,
    `http://2130706433:${port}/echo`,
    `http://0177.0.0.1:${port}/echo`,
    `http://127.1:${port}/echo`,
    `http://[::ffff:127.0.0.1]:${port}/echo`,
    `http://[::ffff:7f00:1]:${port}/echo`,
    `http://[::127.0.0.1]:${port}/echo`,
    `http://localhost:${port}/echo`,
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://[fd00:ec2::254]/latest/meta-data",
    "http://0.0.0.0/",
    "http://0/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://172.31.255.255/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://255.255.255.255/",
    "http://[ff02::1]/",
    "http://[::]/",
    "http://[64:ff9b::7f00:1]/",
    "http://[2002:7f00:1::]/",
  ];

  it("refuses loopback, private, link-local, metadata and special addresses in every spelling", async () => {
    for (const url of hostile()) {
      const reason = await reasonOf(safeFetch(url, { method: "POST", body: "x" }));
      expect(reason, url).toBe("blocked_address");
    }
    expect(hits).toHaveLength(0);
  });

  it("says why, without the query string", async () => {
    const err = (await safeFetch("http://169.254.169.254/latest/meta-data?token=xoxb-secret").catch((e: unknown) => e)) as OutboundError;
    expect(err).toBeInstanceOf(OutboundError);
    expect(err.message).toMatch(/link-local/);
    expect(err.message).not.toContain("xoxb-secret");
  });

  it("refuses other schemes and malformed URLs", async () => {
    for (const url of ["file:///etc/passwd", "gopher://127.0.0.1:70/_GET", "ftp://example.com/", "data:text/plain,hi", "javascript:alert(1)", "not a url", "http://user:pass@example.com/"]) {
      expect(await reasonOf(safeFetch(url)), url).toBe("bad_url");
    }
  });

  it("refuses a name that resolves to any private address, even beside a public one", async () => {
    fakeDns.answers.set("mixed.example", [[{ address: "93.184.216.34", family: 4 }, { address: "127.0.0.1", family: 4 }]]);
    fakeDns.answers.set("mapped.example", [[{ address: "::ffff:10.0.0.1", family: 6 }]]);
    expect(await reasonOf(safeFetch(`http://mixed.example:${port}/echo`))).toBe("blocked_address");
    expect(await reasonOf(safeFetch(`http://mapped.example:${port}/echo`))).toBe("blocked_address");
    expect(hits).toHaveLength(0);
  });
});

describe("the allow-list", () => {
  it("lets an allow-listed IP through and returns status, headers and body (Chinese intact)", async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    const res = await safeFetch(`${base}/echo?q=1`, { method: "POST", headers: { "content-type": "text/plain" }, body: "你好 parley" });
    expect(res.status).toBe(201);
    expect(res.headers["x-answer"]).toBe("yes");
    expect(JSON.parse(res.text)).toEqual({ method: "POST", body: "你好 parley", 中文: "你好" });
    expect(res.url).toBe(`${base}/echo`);
    expect(hits).toHaveLength(1);
  });

  it("accepts CIDRs and host names; an IPv4 entry also covers its IPv4-mapped IPv6 form", async () => {
    configureOutbound({ allowlist: "10.0.0.0/8, 127.0.0.0/8" });
    expect((await safeFetch(`http://127.0.0.1:${port}/echo`)).status).toBe(201);
    expect((await safeFetch(`http://[::ffff:127.0.0.1]:${port}/echo`)).status).toBe(201);
    configureOutbound({ allowlist: "localhost" });
    fakeDns.answers.set("localhost", [[{ address: "127.0.0.1", family: 4 }]]);
    expect((await safeFetch(`http://localhost:${port}/echo`)).status).toBe(201);
    // The name is allowed, not the address behind it.
    expect(await reasonOf(safeFetch(`http://127.0.0.1:${port}/echo`))).toBe("blocked_address");
  });

  it("does not let one allowed address open the others", async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    expect(await reasonOf(safeFetch("http://169.254.169.254/"))).toBe("blocked_address");
    expect(await reasonOf(safeFetch("http://127.0.0.2/"))).toBe("blocked_address");
  });

  it("rejects a malformed allow-list entry", () => {
    expect(() => parseAllowlist("10.0.0.0/99")).toThrow(/CIDR/);
    expect(() => parseAllowlist("bad host!")).toThrow(/hostname/);
  });
});

describe("DNS rebinding", () => {
  it("connects to the address it checked, not to a second DNS answer", async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    // First answer (checked): the allowed test server. Any later lookup would say 10.0.0.1.
    fakeDns.answers.set("rebind.example", [[{ address: "127.0.0.1", family: 4 }], [{ address: "10.0.0.1", family: 4 }]]);
    const res = await safeFetch(`http://rebind.example:${port}/echo`);
    expect(res.status).toBe(201);
    expect(hits[0]!.headers.host).toBe(`rebind.example:${port}`);
  });
});

describe("redirects", () => {
  beforeEach(() => configureOutbound({ allowlist: "127.0.0.1" }));

  it("are not followed by default", async () => {
    const res = await safeFetch(`${base}/redirect?to=${encodeURIComponent("http://169.254.169.254/")}`);
    expect(res.status).toBe(302);
    expect(hits).toHaveLength(1);
  });

  it("are re-checked at every hop when followed: a redirect to a private address is refused", async () => {
    for (const to of ["http://169.254.169.254/latest/meta-data", "http://[::1]/", "http://10.0.0.1/", "file:///etc/passwd"]) {
      const reason = await reasonOf(safeFetch(`${base}/redirect?to=${encodeURIComponent(to)}`, {}, { maxRedirects: 3 }));
      expect(reason, to).toBe(to.startsWith("file:") ? "bad_url" : "blocked_address");
    }
  });

  it("follow at most 3 hops, keep POST on 307 and drop credentials across origins", async () => {
    const res = await safeFetch(`${base}/loop`, {}, { maxRedirects: 10 });
    expect(res.status).toBe(302);
    expect(hits).toHaveLength(4);

    hits.length = 0;
    const kept = await safeFetch(`${base}/redirect?status=307&to=/echo`, { method: "POST", body: "payload", headers: { authorization: "Bearer xoxb-1" } }, { maxRedirects: 1 });
    expect(JSON.parse(kept.text)).toMatchObject({ method: "POST", body: "payload" });
    expect(hits[1]!.headers.authorization).toBe("Bearer xoxb-1");

    hits.length = 0;
    configureOutbound({ allowlist: "127.0.0.1, localhost" });
    fakeDns.answers.set("localhost", [[{ address: "127.0.0.1", family: 4 }]]);
    await safeFetch(`${base}/redirect?status=307&to=${encodeURIComponent(`http://localhost:${port}/echo`)}`, { method: "POST", body: "p", headers: { authorization: "Bearer xoxb-1" } }, { maxRedirects: 1 });
    expect(hits[1]!.headers.authorization).toBeUndefined();
  });
});

describe("limits", () => {
  beforeEach(() => configureOutbound({ allowlist: "127.0.0.1" }));

  it("cuts off a slow answer with reason timeout", async () => {
    expect(await reasonOf(safeFetch(`${base}/slow`, {}, { timeoutMs: 300 }))).toBe("timeout");
  });

  it("refuses an answer over the size cap, declared or streamed", async () => {
    expect(await reasonOf(safeFetch(`${base}/big`))).toBe("too_large");
    expect(await reasonOf(safeFetch(`${base}/big?chunked=1`))).toBe("too_large");
    expect((await safeFetch(`${base}/big`, {}, { maxBytes: 3 * 1024 * 1024 })).text).toHaveLength(2 * 1024 * 1024);
  });

  it("reports a refused connection as connection_failed", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await reasonOf(safeFetch(`http://127.0.0.1:${deadPort}/`))).toBe("connection_failed");
  });
});
