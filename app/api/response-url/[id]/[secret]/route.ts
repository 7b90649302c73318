// POST /api/response-url/:id/:secret - an app answers a slash command later (Slack's response_url)
import { postToResponseUrl } from "@/lib/commands/service";
import { ensureDbReady } from "@/lib/db";
import { toAppError } from "@/lib/errors";

/**
 * Answers like Slack: 200 "ok", or `{ ok: false, error }` with Slack's error names. No session and no
 * Origin check: the secret in the path is the credential, and apps call from servers.
 */
export async function POST(req: Request, segment: { params: Promise<{ id: string; secret: string }> }): Promise<Response> {
  try {
    await ensureDbReady();
    const { id, secret } = await segment.params;
    const text = await req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return Response.json({ ok: false, error: "invalid_json" }, { status: 400 });
    }
    await postToResponseUrl({ id, secret, body });
    return new Response("ok", { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  } catch (err) {
    const e = toAppError(err);
    const error = e.code === "internal" || e.code === "unavailable" ? "internal_error" : e.message;
    return Response.json({ ok: false, error }, { status: e.status });
  }
}
