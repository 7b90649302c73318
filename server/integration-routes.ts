/**
 * Routes the Node server answers itself, before Next: the Slack-compatible Web API (`/api/<method>`,
 * method names have a dot) and incoming webhooks (`/hooks/<id>/<secret>`). They are machine-to-machine
 * endpoints with their own auth; serving them here skips Next's page machinery and lets the in-process
 * test node (no Next) exercise them over real HTTP.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleWebhookRequest } from "@/lib/integrations/webhooks";
import { handleSlackApi } from "@/lib/slack/api";

const SLACK_METHOD = /^\/api\/([a-z]+(?:\.[A-Za-z]+)+)\/?$/;
const HOOK = /^\/hooks\/([^/]+)\/([^/]+)\/?$/;
/** Larger bodies are refused while streaming, before they are buffered. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

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

async function toFetchRequest(req: IncomingMessage): Promise<Request | null> {
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
  if (body === null) return null;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  return new Request(`http://${req.headers.host ?? "localhost"}${req.url}`, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => res.setHeader(key, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Answers the request if it is one of these routes; false lets the caller hand it on (to Next). */
export function handleIntegrationRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = (req.url ?? "/").split("?")[0]!;
  const method = SLACK_METHOD.exec(pathname);
  const hook = method ? null : HOOK.exec(pathname);
  if (!method && !hook) return false;
  void (async () => {
    try {
      const request = await toFetchRequest(req);
      if (!request) {
        res.writeHead(413, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: "request_too_large" }));
        return;
      }
      await send(res, method ? await handleSlackApi(request, method[1]!) : await handleWebhookRequest(request, decodeURIComponent(hook![1]!), decodeURIComponent(hook![2]!)));
    } catch (err) {
      console.error("[parley] integration route failed:", (err as Error).message);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "internal_error" }));
    }
  })();
  return true;
}
