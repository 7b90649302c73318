import { z } from "zod";

/**
 * Event types a bot can subscribe to, with the scope Slack requires for each. Message events come by
 * conversation kind: public (channels), private (groups), DMs (im) and group DMs (mpim).
 */
export const EVENT_SCOPES = {
  "message.channels": "channels:history",
  "message.groups": "groups:history",
  "message.im": "im:history",
  "message.mpim": "mpim:history",
  app_mention: "app_mentions:read",
  reaction_added: "reactions:read",
  reaction_removed: "reactions:read",
  pin_added: "pins:read",
  pin_removed: "pins:read",
  member_joined_channel: "channels:read",
  member_left_channel: "channels:read",
  channel_created: "channels:read",
  channel_rename: "channels:read",
  channel_archive: "channels:read",
  channel_unarchive: "channels:read",
  group_rename: "groups:read",
  group_archive: "groups:read",
  group_unarchive: "groups:read",
} as const;

export type TEventType = keyof typeof EVENT_SCOPES;
export const EVENT_TYPES = Object.keys(EVENT_SCOPES) as TEventType[];

/** An events URL: http(s), at most 2,000 characters. The SSRF guard checks where it points when used. */
export const ZEventsUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http or https URL" }));

export const ZSetEventsUrl = z.object({
  /** null turns events off (the URL is forgotten). */
  url: ZEventsUrl.nullable(),
  subscriptions: z
    .array(z.enum(EVENT_TYPES as [TEventType, ...TEventType[]], { error: "is not an event type Parley sends" }))
    .max(EVENT_TYPES.length)
    .default([]),
});
export type TSetEventsUrl = z.infer<typeof ZSetEventsUrl>;

export type TDeliverySummary = {
  id: string;
  eventId: string;
  eventType: string;
  attempts: number;
  /** pending: waiting for its next attempt; delivered; failed: gave up (or the endpoint was disabled). */
  state: "pending" | "delivered" | "failed";
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
  createdAt: string;
};

export type TEventsStatus = {
  botId: string;
  url: string | null;
  verifiedAt: string | null;
  subscriptions: string[];
  disabledAt: string | null;
  disabledReason: string | null;
  /** Failed attempts in a row; the endpoint is disabled when this reaches the limit. */
  consecutiveFailures: number;
  failureLimit: number;
  recentDeliveries: TDeliverySummary[];
};
