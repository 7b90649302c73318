"use client";

import { useState } from "react";
import { useBotEvents, useIntegrationMutation } from "@/components/integrations/queries";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { formatDateTime, formatRelative } from "@/components/ui/format-date";
import { describeError, toFormErrors, type TFormErrors } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { api, ApiError } from "@/lib/client/api";
import { EVENT_SCOPES, type TEventsStatus, type TEventType } from "@/lib/events/schema";
import type { TBot } from "@/lib/integrations/schema";

/** The events the page offers, in the order people look for them. */
export const OFFERED_EVENTS: TEventType[] = [
  "message.channels",
  "message.groups",
  "message.im",
  "message.mpim",
  "app_mention",
  "reaction_added",
  "reaction_removed",
  "pin_added",
  "pin_removed",
  "member_joined_channel",
  "member_left_channel",
  "channel_created",
  "channel_rename",
  "channel_archive",
];

const eventHints: Record<string, string> = {
  "message.channels": "Messages in public channels it is in",
  "message.groups": "Messages in private channels it is in",
  "message.im": "Direct messages to it",
  "message.mpim": "Group DMs it is in",
  app_mention: "Someone @mentions it",
  reaction_added: "A reaction is added",
  reaction_removed: "A reaction is removed",
  pin_added: "A message is pinned in a conversation it is in",
  pin_removed: "A message is unpinned in a conversation it is in",
  member_joined_channel: "Someone joins a channel it is in",
  member_left_channel: "Someone leaves a channel it is in",
  channel_created: "A channel is created",
  channel_rename: "A channel is renamed",
  channel_archive: "A channel is archived",
};

const eventLabels = { url: "Request URL", subscriptions: "Subscriptions" };

/**
 * The server's refusal as sentences: a failed url_verification says what the endpoint did ("it
 * answered HTTP 500"), missing scopes name each event; anything else goes through the usual mapping.
 */
function toEventsErrors(err: unknown): TFormErrors {
  if (err instanceof ApiError && Array.isArray(err.details)) {
    const details = err.details as { path?: string; message?: string; reason?: string }[];
    if (details.some((d) => d.reason)) return { fields: { url: err.message } };
    const subs = details.filter((d) => d.path === "subscriptions" && d.message && !/^is not/.test(d.message));
    if (subs.length) return { fields: { subscriptions: `The bot lacks a scope: ${subs.map((d) => d.message).join("; ")}` } };
  }
  return toFormErrors(err, eventLabels);
}

/** The red "Events disabled: <reason>" line with its Re-enable button. */
export function EventsDisabledBanner({ bot }: { bot: Pick<TBot, "id" | "name" | "eventsDisabledReason" | "eventsDisabledAt"> }) {
  const reenable = useIntegrationMutation(() => api<{ events: TEventsStatus }>(`/api/bots/${encodeURIComponent(bot.id)}/events`, { method: "POST" }));
  if (!bot.eventsDisabledAt) return null;
  return (
    <div className="space-y-2 rounded-md border border-red-300 bg-red-50 px-3 py-2.5 text-sm text-red-800">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="min-w-0 font-semibold break-words">
          Events disabled: {bot.eventsDisabledReason ?? "the endpoint kept failing"}
          <span className="font-normal text-red-700">
            {" "}
            · <time dateTime={bot.eventsDisabledAt}>{formatRelative(bot.eventsDisabledAt)}</time>
          </span>
        </p>
        <Button variant="secondary" size="sm" isLoading={reenable.isPending} onClick={() => reenable.mutate(undefined)} aria-label={`Re-enable events for ${bot.name}`}>
          Re-enable
        </Button>
      </div>
      {reenable.error && <p role="alert">{describeError(reenable.error)}</p>}
    </div>
  );
}

const stateBadge = { delivered: <Badge tone="green">Delivered</Badge>, pending: <Badge tone="blue">Retrying</Badge>, failed: <Badge tone="red">Failed</Badge> };

function RecentDeliveries({ events }: { events: TEventsStatus }) {
  const rows = events.recentDeliveries.slice(0, 8);
  if (rows.length === 0) return <p className="text-sm text-slate-500">No events sent yet.</p>;
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200">
      <table className="w-full min-w-[520px] text-left text-sm">
        <caption className="sr-only">Recent event deliveries</caption>
        <thead className="bg-slate-50 text-xs font-semibold text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">Event</th>
            <th scope="col" className="px-3 py-2">State</th>
            <th scope="col" className="px-3 py-2">Attempts</th>
            <th scope="col" className="px-3 py-2">When</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((d) => (
            <tr key={d.id}>
              <td className="px-3 py-2 font-mono text-[13px]">{d.eventType}</td>
              <td className="px-3 py-2">
                {stateBadge[d.state]}
                {d.lastError && d.state !== "delivered" && <span className="mt-0.5 block text-xs break-words text-red-700">{d.lastError}</span>}
              </td>
              <td className="px-3 py-2 tabular-nums">{d.attempts}</td>
              <td className="px-3 py-2 text-slate-600">
                <time dateTime={d.createdAt} title={formatDateTime(d.createdAt)}>
                  {formatRelative(d.createdAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EventsForm({ bot, events }: { bot: TBot; events: TEventsStatus }) {
  const [url, setUrl] = useState(events.url ?? "");
  const [subs, setSubs] = useState<string[]>(events.subscriptions);
  const [errors, setErrors] = useState<TFormErrors>({ fields: {} });
  const [saved, setSaved] = useState<string | null>(null);
  const save = useIntegrationMutation((input: { url: string | null; subscriptions: string[] }) => api<{ events: TEventsStatus }>(`/api/bots/${encodeURIComponent(bot.id)}/events`, { method: "PUT", body: input }));

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setErrors({ fields: {} });
    setSaved(null);
    const trimmed = url.trim();
    try {
      const { events: next } = await save.mutateAsync({ url: trimmed || null, subscriptions: [...new Set(subs)] });
      setSaved(next.url ? `Saved. ${next.url === events.url && events.verifiedAt ? "The URL was verified before" : "Parley sent a url_verification challenge and your endpoint answered it"}; ${next.subscriptions.length} event type${next.subscriptions.length === 1 ? "" : "s"} subscribed.` : "Events are off: no URL is set.");
    } catch (err) {
      setErrors(toEventsErrors(err));
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`Events for ${bot.name}`} className="space-y-4">
      {errors.form && <Alert>{errors.form}</Alert>}
      <TextField
        label="Request URL"
        name="eventsUrl"
        type="url"
        inputMode="url"
        spellCheck={false}
        placeholder="https://example.com/slack/events"
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          setSaved(null);
        }}
        error={errors.fields.url}
        hint={events.verifiedAt ? `Verified ${formatDateTime(events.verifiedAt)}. Leave it empty to turn events off.` : "Parley POSTs a url_verification challenge here first; your endpoint must echo it. Leave empty to turn events off."}
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-800">Subscribe to events</legend>
        <div className="grid gap-x-4 gap-y-1.5 sm:grid-cols-2">
          {OFFERED_EVENTS.map((type) => {
            const scope = EVENT_SCOPES[type];
            const hasScope = bot.scopes.includes(scope);
            return (
              <label key={type} className="flex items-start gap-2 rounded-md px-1 py-0.5 text-sm hover:bg-slate-50">
                <input
                  type="checkbox"
                  name="subscriptions"
                  value={type}
                  checked={subs.includes(type)}
                  onChange={(e) => {
                    setSubs((cur) => (e.target.checked ? [...cur, type] : cur.filter((s) => s !== type)));
                    setSaved(null);
                  }}
                  className="mt-0.5 size-4 shrink-0 accent-[#611f69]"
                />
                <span className="min-w-0">
                  <code className="font-mono text-[13px] text-slate-900">{type}</code>
                  <span className="block text-xs text-slate-500">{eventHints[type]}</span>
                  {!hasScope && <span className="block text-xs text-amber-800">Needs the {scope} scope, which this bot lacks</span>}
                </span>
              </label>
            );
          })}
        </div>
        {errors.fields.subscriptions && (
          <p className="flex items-start gap-1 text-sm text-red-700">
            <span aria-hidden="true">⚠</span>
            <span>{errors.fields.subscriptions}</span>
          </p>
        )}
      </fieldset>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {saved && (
          <p role="status" className="mr-auto text-sm text-emerald-800">
            ✓ {saved}
          </p>
        )}
        <Button type="submit" isLoading={save.isPending}>
          {save.isPending ? "Verifying…" : "Save events settings"}
        </Button>
      </div>
    </form>
  );
}

/** Events settings for one bot: request URL with verification, subscriptions, recent deliveries. */
export function BotEventsPanel({ bot }: { bot: TBot }) {
  const { data: events, error, isPending } = useBotEvents(bot.id);
  if (isPending) return <LoadingRow label="Loading events settings…" />;
  if (error) return <Alert title="Could not load the events settings">{describeError(error)}</Alert>;
  return (
    <div className="space-y-4">
      <EventsForm bot={bot} events={events} />
      {events.url && (
        <div className="space-y-2">
          <h4 className="text-sm font-semibold text-slate-800">
            Recent deliveries{" "}
            <span className="font-normal text-slate-500">
              ({events.consecutiveFailures} failure{events.consecutiveFailures === 1 ? "" : "s"} in a row; disabled after {events.failureLimit})
            </span>
          </h4>
          <RecentDeliveries events={events} />
        </div>
      )}
    </div>
  );
}
