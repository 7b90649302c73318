/**
 * Routes the Node server answers itself, before Next: the Slack-compatible Web API (`/api/<method>`,
 * method names have a dot) and incoming webhooks (`/hooks/<id>/<secret>`). They are machine-to-machine
 * endpoints with their own auth; serving them here skips Next's page machinery and lets the in-process
 * test node (no Next) exercise them over real HTTP.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleWebhookRequest } from "@/lib/integrations/webhooks";
import { json } from "@/lib/http/handler";
import { handleSlackApi } from "@/lib/slack/api";
import { sendFetchResponse, setSecurityHeaders, toFetchRequest } from "@/server/fetch-bridge";

const SLACK_METHOD = /^\/api\/([a-z]+(?:\.[A-Za-z]+)+)\/?$/;
const HOOK = /^\/hooks\/([^/]+)\/([^/]+)\/?$/;

/** A path segment decoded; one that cannot be (a stray `%`) names no webhook as it is. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Answers the request if it is one of these routes; false lets the caller hand it on (to Next). */
export function handleIntegrationRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const pathname = (req.url ?? "/").split("?")[0]!;
  const method = SLACK_METHOD.exec(pathname);
  const hook = method ? null : HOOK.exec(pathname);
  if (!method && !hook) return false;
  setSecurityHeaders(res);
  void (async () => {
    try {
      const request = await toFetchRequest(req);
      if (!request) {
        await sendFetchResponse(res, json({ ok: false, error: "request_too_large" }, 413));
        return;
      }
      await sendFetchResponse(res, method ? await handleSlackApi(request, method[1]!) : await handleWebhookRequest(request, decodeSegment(hook![1]!), decodeSegment(hook![2]!)));
    } catch (err) {
      console.error("[parley] integration route failed:", (err as Error).message);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "internal_error" }));
    }
  })();
  return true;
}
