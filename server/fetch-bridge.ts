/**
 * Between Node's request and response and the fetch API's Request and Response, which the route
 * handlers this server calls itself (the app's API, the Slack Web API, webhooks) take and return.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "@/lib/http/security-headers.mjs";

/** Larger bodies are refused while streaming, before they are buffered. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** host[:port], a name or an IPv4 or bracketed IPv6 address (browsers send names as punycode). */
const HOST = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Whether a Host header can name this server (RFC 9112 asks for a 400 otherwise); absent is fine. */
export function isValidHostHeader(host: string | undefined): boolean {
  if (host === undefined) return true;
  if (!HOST.test(host)) return false;
  try {
    new URL(`http://${host}`);
    return true;
  } catch {
    return false; // a port over 65535, an address that is not one
  }
}

/** The request as a fetch Request, its body read whole; null when the body is over MAX_BODY_BYTES. */
export async function toFetchRequest(req: IncomingMessage): Promise<Request | null> {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
  if (body === null) return null;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
}

/** The headers every answer carries (as Next adds them to its own: next.config.mjs). */
export function setSecurityHeaders(res: ServerResponse): void {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
}

/** Writes a fetch Response to Node's response (`withBody: false` for HEAD). */
export async function sendFetchResponse(res: ServerResponse, response: Response, withBody = true): Promise<void> {
  res.statusCode = response.status;
  // Several Set-Cookie headers must stay separate lines; forEach would join them with commas.
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader("set-cookie", cookies);
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") res.setHeader(key, value);
  });
  if (!withBody) {
    await response.body?.cancel();
    res.end();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  // Compression below replaces it when it encodes the body.
  if (!res.hasHeader("content-encoding")) res.setHeader("content-length", body.length);
  res.end(body);
}
