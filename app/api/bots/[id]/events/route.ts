// GET /api/bots/:id/events - events URL, subscriptions, disabled state, recent deliveries; PUT - set URL + subscriptions (url_verification first); POST - re-enable a disabled endpoint (admins)
import { getEventsStatus, reenableEvents, setEventsUrl } from "@/lib/events/service";
import { authed, readJson } from "@/lib/http/handler";
import { AppError } from "@/lib/errors";

type TParams = { id: string };

export const GET = authed<TParams>(async ({ actor, params }) => ({ events: await getEventsStatus({ actor, botId: params.id }) }));
export const PUT = authed<TParams>(async ({ actor, params, req }) => {
  const body = await readJson(req);
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AppError("validation_failed", "Send a JSON object { url, subscriptions }");
  const { url, subscriptions } = body as { url?: unknown; subscriptions?: unknown };
  return { events: await setEventsUrl({ actor, botId: params.id, url, subscriptions }) };
});
export const POST = authed<TParams>(async ({ actor, params }) => ({ events: await reenableEvents({ actor, botId: params.id }) }));
