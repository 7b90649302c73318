/**
 * Events API end to end: a real node (in-process, no Next) records deliveries for committed changes
 * and POSTs them to a local receiver on 127.0.0.1 (allow-listed), signed like Slack. Covers request
 * signing both ways (ours, Slack's documented example, and @slack/bolt's own verifier), the
 * url_verification handshake, who receives what, exactly-once delivery, retries with X-Slack-Retry-Num,
 * and disabling an endpoint that keeps failing.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { isValidSlackRequest } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as channels from "@/lib/channels/service";
import { configureEvents, getEventsConfig } from "@/lib/events/config";
import { startEventsWorker } from "@/lib/events/dispatcher";
import * as eventsRepo from "@/lib/events/repository";
import { getEventsStatus, reenableEvents, setEventsUrl } from "@/lib/events/service";
import { signSlackRequest, verifySlackSignature } from "@/lib/events/signing";
import { createBotIn } from "@/lib/integrations/bots";
import { pinMessage, unpinMessage } from "@/lib/messages/pins";
import { addReaction } from "@/lib/messages/reactions";
import * as messages from "@/lib/messages/service";
import { configureOutbound } from "@/lib/outbound/http";
import type { TParleyNode } from "@/server/app";
import { createChannel, createMember, createWorkspace, expectAppError, type TTestUser, type TTestWorkspace } from "@/tests/factories";
import { startNode } from "@/tests/realtime-client";

type TReceived = { headers: IncomingHttpHeaders; raw: string; json: Record<string, any> };
type TResponder = (r: TReceived, res: ServerResponse) => void;

/** A bot's endpoint: records every request; answers as `respond` says (default: echo challenges, 200). */
class Receiver {
  static ok: TResponder = (r, res) => {
    if (r.json.type === "url_verification") res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ challenge: r.json.challenge }));
    else res.writeHead(200).end();
  };

  readonly requests: TReceived[] = [];
  respond: TResponder = Receiver.ok;
  private server: Server;
  url = "";

  constructor() {
    this.server = createServer((req, res) => {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        const r = { headers: req.headers, raw, json: JSON.parse(raw || "{}") };
        this.requests.push(r);
        this.respond(r, res);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/slack/events?app=1`;
    return this;
  }

  callbacks(type?: string): TReceived[] {
    return this.requests.filter((r) => r.json.type === "event_callback" && (!type || r.json.event.type === type));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets the dispatcher finish whatever it is doing (claims, retries due now). */
async function settle(ms = 300): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

function signatureIsValid(r: TReceived, secret: string): boolean {
  const ours = verifySlackSignature({ signingSecret: secret, body: r.raw, signature: r.headers["x-slack-signature"] as string, timestamp: r.headers["x-slack-request-timestamp"] as string });
  const bolts = isValidSlackRequest({
    signingSecret: secret,
    body: r.raw,
    headers: { "x-slack-signature": r.headers["x-slack-signature"] as string, "x-slack-request-timestamp": Number(r.headers["x-slack-request-timestamp"]) },
  });
  return ours.ok && bolts;
}

describe("request signing", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const slackExampleBody =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

  it("matches Slack's documented example", () => {
    const headers = signSlackRequest(secret, slackExampleBody, 1531420618);
    expect(headers["X-Slack-Signature"]).toBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    expect(headers["X-Slack-Request-Timestamp"]).toBe("1531420618");
    expect(verifySlackSignature({ signingSecret: secret, body: slackExampleBody, signature: headers["X-Slack-Signature"], timestamp: 1531420618, nowSec: 1531420618 + 10 })).toEqual({ ok: true });
  });

  it("is accepted by @slack/bolt's verifier, and ours accepts what we sign (Chinese body, Buffer or string)", () => {
    const body = JSON.stringify({ type: "event_callback", event: { text: "你好 <@U1>" } });
    const h = signSlackRequest("s3cret", body);
    expect(isValidSlackRequest({ signingSecret: "s3cret", body, headers: { "x-slack-signature": h["X-Slack-Signature"], "x-slack-request-timestamp": Number(h["X-Slack-Request-Timestamp"]) } })).toBe(true);
    expect(isValidSlackRequest({ signingSecret: "other", body, headers: { "x-slack-signature": h["X-Slack-Signature"], "x-slack-request-timestamp": Number(h["X-Slack-Request-Timestamp"]) } })).toBe(false);
    expect(verifySlackSignature({ signingSecret: "s3cret", body: Buffer.from(body), signature: h["X-Slack-Signature"], timestamp: h["X-Slack-Request-Timestamp"] }).ok).toBe(true);
  });

  it("refuses tampering, the wrong secret, stale or future timestamps and missing headers", () => {
    const now = 1_764_000_000;
    const body = '{"a":1}';
    const h = signSlackRequest("k", body, now);
    const check = (o: Partial<Parameters<typeof verifySlackSignature>[0]>) =>
      verifySlackSignature({ signingSecret: "k", body, signature: h["X-Slack-Signature"], timestamp: h["X-Slack-Request-Timestamp"], nowSec: now, ...o });
    expect(check({})).toEqual({ ok: true });
    expect(check({ body: '{"a":2}' })).toEqual({ ok: false, reason: "bad_signature" });
    expect(check({ signingSecret: "K" })).toEqual({ ok: false, reason: "bad_signature" });
    expect(check({ signature: h["X-Slack-Signature"].slice(0, -1) })).toEqual({ ok: false, reason: "bad_signature" });
    expect(check({ signature: "v1=" + h["X-Slack-Signature"].slice(3) })).toEqual({ ok: false, reason: "bad_signature" });
    expect(check({ nowSec: now + 301 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(check({ nowSec: now - 301 })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(check({ nowSec: now + 299 })).toEqual({ ok: true });
    expect(check({ timestamp: "abc" })).toEqual({ ok: false, reason: "stale_timestamp" });
    expect(check({ signature: undefined })).toEqual({ ok: false, reason: "missing_headers" });
    expect(check({ timestamp: "" })).toEqual({ ok: false, reason: "missing_headers" });
  });
});

describe("Events API delivery", () => {
  let node: TParleyNode;
  let receiver: Receiver;
  let ws: TTestWorkspace;
  let owner: TTestUser;
  let channelId: string;
  const defaults = getEventsConfig();

  const botIds: string[] = [];

  async function newBot(subscriptions: string[], opts: { joinChannel?: string | null } = {}) {
    const made = await createBotIn(ws.id, owner.id, { name: "Helper 助手" });
    botIds.push(made.bot.id);
    const join = opts.joinChannel === undefined ? channelId : opts.joinChannel;
    if (join) await channels.addChannelMembers({ actor: owner.actor, channelId: join, input: { userIds: [made.bot.userId] } });
    await setEventsUrl({ actor: owner.actor, botId: made.bot.id, url: receiver.url, subscriptions });
    receiver.requests.length = 0;
    return made;
  }

  beforeAll(async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    node = await startNode();
    receiver = await new Receiver().start();
    owner = (await createWorkspace()).owner;
    ws = await createWorkspace(owner);
    channelId = (await createChannel(ws, owner, { name: "events-测试" })).id;
  }, 180_000);

  afterAll(async () => {
    configureEvents(defaults);
    await receiver?.stop();
    await node?.close();
  });

  beforeEach(async () => {
    configureEvents({ ...defaults, retryDelaysMs: [50, 100, 150], pollMs: 50, disableAfterFailures: 10 });
    receiver.respond = Receiver.ok;
    // Each test watches one bot: earlier tests' bots stop receiving (events off).
    for (const botId of botIds.splice(0)) await setEventsUrl({ actor: owner.actor, botId, url: null, subscriptions: [] });
    receiver.requests.length = 0;
  });

  describe("url_verification", () => {
    it("stores the URL once it echoes the challenge (JSON or plain), signed with the bot's secret", async () => {
      const { bot, signingSecret } = await createBotIn(ws.id, owner.id, { name: "Verify" });
      botIds.push(bot.id);
      const status = await setEventsUrl({ actor: owner.actor, botId: bot.id, url: receiver.url, subscriptions: ["message.channels"] });
      expect(status.url).toBe(receiver.url);
      expect(status.verifiedAt).not.toBeNull();
      expect(status.subscriptions).toEqual(["message.channels"]);
      const [req] = receiver.requests;
      expect(req!.json).toMatchObject({ type: "url_verification", token: expect.any(String), challenge: expect.any(String) });
      expect(signatureIsValid(req!, signingSecret)).toBe(true);

      receiver.respond = (r, res) => res.writeHead(200, { "content-type": "text/plain" }).end(r.json.challenge);
      const other = `${receiver.url}&v=2`;
      expect((await setEventsUrl({ actor: owner.actor, botId: bot.id, url: other, subscriptions: [] })).url).toBe(other);
    });

    it("refuses a URL that does not echo the challenge, fails, or points somewhere private; nothing is stored", async () => {
      const { bot } = await createBotIn(ws.id, owner.id, { name: "Refused" });
      receiver.respond = (_r, res) => res.writeHead(200).end("hello");
      await expectAppError(setEventsUrl({ actor: owner.actor, botId: bot.id, url: receiver.url, subscriptions: [] }), "validation_failed", /did not answer with the challenge/);
      receiver.respond = (r, res) => res.writeHead(500).end(JSON.stringify({ challenge: r.json.challenge }));
      await expectAppError(setEventsUrl({ actor: owner.actor, botId: bot.id, url: receiver.url, subscriptions: [] }), "validation_failed", /HTTP 500/);
      await expectAppError(setEventsUrl({ actor: owner.actor, botId: bot.id, url: "http://169.254.169.254/latest/meta-data", subscriptions: [] }), "validation_failed", /link-local/);
      await expectAppError(setEventsUrl({ actor: owner.actor, botId: bot.id, url: "file:///etc/passwd", subscriptions: [] }), "validation_failed");
      await expectAppError(setEventsUrl({ actor: owner.actor, botId: bot.id, url: receiver.url, subscriptions: ["presence_change"] }), "validation_failed");
      const status = await getEventsStatus({ actor: owner.actor, botId: bot.id });
      expect(status.url).toBeNull();
      expect(status.verifiedAt).toBeNull();
    });

    it("is for workspace admins only", async () => {
      const { bot } = await createBotIn(ws.id, owner.id, { name: "Admins only" });
      const member = await createMember(ws);
      await expectAppError(setEventsUrl({ actor: member.actor, botId: bot.id, url: receiver.url, subscriptions: [] }), "forbidden");
      const stranger = (await createWorkspace()).owner;
      await expectAppError(getEventsStatus({ actor: stranger.actor, botId: bot.id }), "not_found");
      expect(receiver.requests).toHaveLength(0);
    });
  });

  it("delivers message.channels and app_mention envelopes, signed, exactly once", async () => {
    const { bot, signingSecret } = await newBot(["message.channels", "app_mention"]);
    const sent = await messages.sendMessage({ actor: owner.actor, input: { channelId, body: `你好 <@${bot.userId}>, ship it` } });
    await waitFor(() => receiver.callbacks().length >= 2, "two callbacks");
    await settle();
    const callbacks = receiver.callbacks();
    expect(callbacks).toHaveLength(2);
    for (const r of callbacks) {
      expect(signatureIsValid(r, signingSecret)).toBe(true);
      expect(r.headers["content-type"]).toMatch(/application\/json/);
      expect(r.headers["x-slack-retry-num"]).toBeUndefined();
      expect(r.json).toMatchObject({
        team_id: ws.id,
        api_app_id: bot.id,
        type: "event_callback",
        event_id: expect.stringMatching(/^Ev[0-9A-Z]{10}$/),
        event_time: expect.any(Number),
        is_ext_shared_channel: false,
        authorizations: [{ enterprise_id: null, team_id: ws.id, user_id: bot.userId, is_bot: true, is_enterprise_install: false }],
        token: expect.any(String),
        event_context: expect.any(String),
      });
    }
    expect(new Set(callbacks.map((r) => r.json.event_id)).size).toBe(2);
    const message = receiver.callbacks("message")[0]!.json.event;
    expect(message).toMatchObject({ type: "message", channel: channelId, channel_type: "channel", user: owner.id, ts: sent.ts, event_ts: sent.ts, text: `你好 <@${bot.userId}>, ship it`, team: ws.id });
    const mention = receiver.callbacks("app_mention")[0]!.json.event;
    expect(mention).toMatchObject({ type: "app_mention", channel: channelId, user: owner.id, ts: sent.ts, event_ts: sent.ts, text: `你好 <@${bot.userId}>, ship it` });

    const status = await getEventsStatus({ actor: owner.actor, botId: bot.id });
    expect(status.recentDeliveries.filter((d) => d.state === "delivered")).toHaveLength(2);
    expect(status.recentDeliveries.every((d) => d.attempts === 1)).toBe(true);
  });

  it("two dispatchers (as on two nodes) never send one delivery twice", async () => {
    // About duplicates, not speed: a generous timeout keeps a busy test machine from failing attempts.
    configureEvents({ deliveryTimeoutMs: 15_000 });
    const { bot } = await newBot(["message.channels"]);
    const second = startEventsWorker();
    try {
      const count = 30;
      for (let i = 0; i < count; i++) await messages.sendMessage({ actor: owner.actor, input: { channelId, body: `burst ${i}` } });
      await waitFor(() => receiver.callbacks().length >= count, `${count} callbacks`, 60_000);
      await settle();
      const got = receiver.callbacks().filter((r) => r.json.api_app_id === bot.id);
      expect(got).toHaveLength(count);
      expect(new Set(got.map((r) => r.json.event_id)).size).toBe(count);
      expect(new Set(got.map((r) => r.json.event.text))).toEqual(new Set(Array.from({ length: count }, (_, i) => `burst ${i}`)));
    } finally {
      await second.stop();
    }
  }, 120_000);

  it("sends nothing for conversations the bot is not in, even when it is mentioned there", async () => {
    const { bot } = await newBot(["message.channels", "app_mention"], { joinChannel: null });
    const elsewhere = await createChannel(ws, owner);
    await messages.sendMessage({ actor: owner.actor, input: { channelId: elsewhere.id, body: `<@${bot.userId}> are you there?` } });
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: `<@${bot.userId}> here?` } });
    // A later message the same bot does get proves the earlier ones were processed, not just slow.
    await channels.addChannelMembers({ actor: owner.actor, channelId: elsewhere.id, input: { userIds: [bot.userId] } });
    await messages.sendMessage({ actor: owner.actor, input: { channelId: elsewhere.id, body: "now you are in" } });
    await waitFor(() => receiver.callbacks().some((r) => r.json.api_app_id === bot.id), "the later message");
    await settle();
    const mine = receiver.callbacks().filter((r) => r.json.api_app_id === bot.id);
    expect(mine.map((r) => r.json.event.text)).toEqual(["now you are in"]);
  });

  it("delivers the bot's own messages with bot_id (for Bolt's ignoreSelf), but no app_mention to itself", async () => {
    const { bot } = await newBot(["message.channels", "app_mention"]);
    await messages.sendMessage({ actor: { userId: bot.userId, workspaceId: ws.id }, input: { channelId, body: `I am <@${bot.userId}>` } });
    await waitFor(() => receiver.callbacks("message").length >= 1, "own message");
    await settle();
    expect(receiver.callbacks()).toHaveLength(1);
    expect(receiver.callbacks("message")[0]!.json.event).toMatchObject({ user: bot.userId, bot_id: bot.id });
  });

  it("picks the message subscription by conversation kind: channels, groups, im", async () => {
    const { bot } = await newBot(["message.groups", "message.im"]);
    const secret = await createChannel(ws, owner, { kind: "PRIVATE", memberIds: [bot.userId] });
    const dm = await channels.openDm({ actor: owner.actor, slug: ws.slug, input: { userIds: [bot.userId] } });
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "public: not subscribed" } });
    await messages.sendMessage({ actor: owner.actor, input: { channelId: secret.id, body: "private" } });
    await messages.sendMessage({ actor: owner.actor, input: { channelId: dm.id, body: "direct 私信" } });
    await waitFor(() => receiver.callbacks().length >= 2, "two message events");
    await settle();
    // Deliveries run in parallel: compare without order.
    const events = receiver.callbacks().filter((r) => r.json.api_app_id === bot.id).map((r) => r.json.event);
    expect(events.map((e) => [e.text, e.channel_type, e.channel]).sort()).toEqual([
      ["direct 私信", "im", dm.id],
      ["private", "group", secret.id],
    ]);
  });

  it("delivers edits as message_changed and deletes as message_deleted, but not reactions or pins", async () => {
    const { bot } = await newBot(["message.channels"]);
    const m = await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "first draft" } });
    await addReaction({ actor: owner.actor, input: { messageId: m.id, emoji: "eyes" } });
    await pinMessage({ actor: owner.actor, input: { messageId: m.id } });
    await messages.editMessage({ actor: owner.actor, input: { messageId: m.id, body: "final 最终" } });
    await messages.deleteMessage({ actor: owner.actor, input: { messageId: m.id } });
    await waitFor(() => receiver.callbacks().length >= 3, "three message events");
    await settle();
    // Deliveries run in parallel (Slack does not promise order either): find each by subtype.
    const events = receiver.callbacks().filter((r) => r.json.api_app_id === bot.id).map((r) => r.json.event);
    expect(events.map((e) => e.subtype ?? "new").sort()).toEqual(["message_changed", "message_deleted", "new"]);
    const bySubtype = (t: string) => events.find((e) => e.subtype === t);
    expect(bySubtype("message_changed")).toMatchObject({ type: "message", hidden: true, channel: channelId, channel_type: "channel", message: { ts: m.ts, text: "final 最终", user: owner.id, edited: { user: owner.id } } });
    expect(bySubtype("message_deleted")).toMatchObject({ type: "message", hidden: true, channel: channelId, deleted_ts: m.ts });
  });

  it("delivers reaction_added, member_joined_channel (once) and channel_created", async () => {
    const { bot } = await newBot(["reaction_added", "reaction_removed", "member_joined_channel", "channel_created", "channel_rename"]);
    const m = await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "react to me" } });
    await addReaction({ actor: owner.actor, input: { messageId: m.id, emoji: "thumbsup" } });
    const reaction = await waitFor(() => receiver.callbacks("reaction_added")[0], "reaction_added");
    expect(reaction.json.event).toMatchObject({ type: "reaction_added", user: owner.id, reaction: "thumbsup", item_user: owner.id, item: { type: "message", channel: channelId, ts: m.ts } });

    const newcomer = await createMember(ws);
    await channels.addChannelMembers({ actor: owner.actor, channelId, input: { userIds: [newcomer.id] } });
    const joined = await waitFor(() => receiver.callbacks("member_joined_channel")[0], "member_joined_channel");
    expect(joined.json.event).toMatchObject({ user: newcomer.id, channel: channelId, channel_type: "C", team: ws.id });

    const created = await createChannel(ws, owner, { name: "新频道-" + Date.now() });
    const createdEvent = await waitFor(() => receiver.callbacks("channel_created")[0], "channel_created");
    expect(createdEvent.json.event.channel).toMatchObject({ id: created.id, name: created.name, creator: owner.id });
    await channels.updateChannel({ actor: owner.actor, channelId: created.id, input: { name: "renamed-" + Date.now() } });
    const renamed = await waitFor(() => receiver.callbacks("channel_rename")[0], "channel_rename");
    expect(renamed.json.event.channel.id).toBe(created.id);
    await settle();
    expect(receiver.callbacks("member_joined_channel").filter((r) => r.json.event.user === newcomer.id)).toHaveLength(1);
    expect(receiver.callbacks("message")).toHaveLength(0); // not subscribed
  });

  it("delivers pin_added and pin_removed with the message, who pinned it and the pin count", async () => {
    const { bot } = await newBot(["pin_added", "pin_removed"]);
    const pinner = await createMember(ws);
    await channels.addChannelMembers({ actor: owner.actor, channelId, input: { userIds: [pinner.id] } });
    const m = await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "置顶 pin me" } });
    await pinMessage({ actor: pinner.actor, input: { messageId: m.id } });
    const added = await waitFor(() => receiver.callbacks("pin_added")[0], "pin_added");
    const pinnedTs = added.json.event.pinned_info.pinned_ts;
    expect(Math.abs(pinnedTs - Date.now() / 1000)).toBeLessThan(60);
    expect(added.json).toMatchObject({ api_app_id: bot.id, type: "event_callback" });
    expect(added.json.event).toMatchObject({
      type: "pin_added",
      user: pinner.id,
      channel_id: channelId,
      item_user: owner.id,
      pin_count: "1",
      pinned_info: { channel: channelId, pinned_by: pinner.id },
      item: { type: "message", channel: channelId, created: pinnedTs, created_by: pinner.id, message: { type: "message", ts: m.ts, user: owner.id, text: "置顶 pin me", pinned_to: [channelId] } },
    });
    expect(added.json.event.item.message.permalink).toMatch(new RegExp(`/archives/${channelId}/p${m.ts.replace(".", "")}$`));
    expect(added.json.event.has_pins).toBeUndefined();

    // Unpinned by someone else: the pin taken away is the pinner's.
    await unpinMessage({ actor: owner.actor, input: { messageId: m.id } });
    const removed = await waitFor(() => receiver.callbacks("pin_removed")[0], "pin_removed");
    expect(removed.json.event).toMatchObject({ type: "pin_removed", user: owner.id, channel_id: channelId, pin_count: "0", has_pins: false, pinned_info: { pinned_by: pinner.id, pinned_ts: pinnedTs } });
    expect(removed.json.event.item.message.pinned_to).toBeUndefined();
    // Neither is a message event, and a refused pin announces nothing.
    await expect(unpinMessage({ actor: owner.actor, input: { messageId: m.id } })).rejects.toMatchObject({ code: "conflict" });
    await settle();
    expect(receiver.callbacks("pin_removed")).toHaveLength(1);
    expect(receiver.callbacks("message")).toHaveLength(0);
  });

  it("announces a join once, even when the member is announced again (announcement poster toggled)", async () => {
    const news = await createChannel(ws, owner, { kind: "ANNOUNCEMENT" });
    const { bot } = await newBot(["member_joined_channel"], { joinChannel: news.id });
    const poster = await createMember(ws);
    await channels.setChannelPoster({ actor: owner.actor, channelId: news.id, userId: poster.id, input: { isPoster: true } });
    await waitFor(() => receiver.callbacks("member_joined_channel").some((r) => r.json.event.user === poster.id), "the join");
    await channels.setChannelPoster({ actor: owner.actor, channelId: news.id, userId: poster.id, input: { isPoster: false } });
    await channels.setChannelPoster({ actor: owner.actor, channelId: news.id, userId: poster.id, input: { isPoster: true } });
    // A later join proves the re-announcements were processed, not just slow.
    const later = await createMember(ws);
    await channels.addChannelMembers({ actor: owner.actor, channelId: news.id, input: { userIds: [later.id] } });
    await waitFor(() => receiver.callbacks("member_joined_channel").some((r) => r.json.event.user === later.id), "the later join");
    await settle();
    const joins = receiver.callbacks("member_joined_channel").filter((r) => r.json.api_app_id === bot.id).map((r) => r.json.event.user);
    expect(joins.sort()).toEqual([poster.id, later.id].sort());
  });

  it("retries after 500s with the same event_id and increasing X-Slack-Retry-Num", async () => {
    const { bot, signingSecret } = await newBot(["message.channels"]);
    let failures = 2;
    receiver.respond = (r, res) => {
      if (r.json.type === "event_callback" && failures-- > 0) res.writeHead(500).end("boom");
      else Receiver.ok(r, res);
    };
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "retry me" } });
    await waitFor(() => receiver.callbacks().length >= 3, "three attempts");
    await settle();
    const attempts = receiver.callbacks();
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.json.event_id)).size).toBe(1);
    expect(attempts.map((r) => r.headers["x-slack-retry-num"])).toEqual([undefined, "1", "2"]);
    expect(attempts.map((r) => r.headers["x-slack-retry-reason"])).toEqual([undefined, "http_error", "http_error"]);
    for (const r of attempts) expect(signatureIsValid(r, signingSecret)).toBe(true);
    const [delivery] = (await getEventsStatus({ actor: owner.actor, botId: bot.id })).recentDeliveries;
    expect(delivery).toMatchObject({ state: "delivered", attempts: 3, lastError: null });
  });

  it("gives up after the last retry, and honours X-Slack-No-Retry", async () => {
    const { bot } = await newBot(["message.channels"]);
    receiver.respond = (r, res) => (r.json.type === "event_callback" ? res.writeHead(503).end() : Receiver.ok(r, res));
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "never lands" } });
    await waitFor(() => receiver.callbacks().length >= 4, "four attempts");
    await settle();
    expect(receiver.callbacks()).toHaveLength(4);
    let s = await getEventsStatus({ actor: owner.actor, botId: bot.id });
    expect(s.recentDeliveries[0]).toMatchObject({ state: "failed", attempts: 4, lastError: "http_error: HTTP 503" });

    receiver.requests.length = 0;
    receiver.respond = (r, res) => (r.json.type === "event_callback" ? res.writeHead(500, { "x-slack-no-retry": "1" }).end() : Receiver.ok(r, res));
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "do not retry" } });
    await waitFor(() => receiver.callbacks().length >= 1, "one attempt");
    await settle();
    expect(receiver.callbacks()).toHaveLength(1);
    s = await getEventsStatus({ actor: owner.actor, botId: bot.id });
    expect(s.recentDeliveries[0]).toMatchObject({ state: "failed", attempts: 1 });
  });

  it("forgets finished deliveries after the retention time, never pending ones", async () => {
    const { bot } = await newBot(["message.channels"]);
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "to be forgotten" } });
    await waitFor(() => receiver.callbacks().length >= 1, "a delivery");
    await waitForStatus(bot.id, (st) => st.recentDeliveries.length === 1 && st.recentDeliveries[0]!.state === "delivered");
    receiver.respond = (r, res) => (r.json.type === "event_callback" ? res.writeHead(500).end() : Receiver.ok(r, res));
    configureEvents({ retryDelaysMs: [60_000] });
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "still pending" } });
    await waitForStatus(bot.id, (st) => st.recentDeliveries.some((d) => d.state === "pending" && d.attempts === 1));
    await eventsRepo.pruneFinishedDeliveries(new Date(Date.now() + 1000));
    const s = await getEventsStatus({ actor: owner.actor, botId: bot.id });
    expect(s.recentDeliveries.map((d) => d.state)).toEqual(["pending"]);
  });

  it("disables an endpoint that keeps failing, says why, and delivers again once re-enabled", async () => {
    configureEvents({ retryDelaysMs: [20, 20, 20, 20, 20], disableAfterFailures: 3, deliveryTimeoutMs: 300 });
    const { bot } = await newBot(["message.channels"]);
    receiver.respond = (r, res) => {
      if (r.json.type !== "event_callback") return Receiver.ok(r, res);
      if (r.json.event.text === "slow") return; // never answers: a timeout
      res.writeHead(500).end();
    };
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "slow" } });
    await waitFor(() => receiver.callbacks().length >= 3, "three failed attempts");
    const s = await waitForStatus(bot.id, (st) => !!st.disabledAt);
    expect(s.disabledReason).toBe("timeout after 0.3 s (3 failed attempts in a row)");
    expect(s.consecutiveFailures).toBe(3);
    expect(s.recentDeliveries[0]).toMatchObject({ state: "failed" });

    // Disabled: nothing more is sent.
    receiver.requests.length = 0;
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "while disabled" } });
    await settle(400);
    expect(receiver.callbacks()).toHaveLength(0);

    receiver.respond = Receiver.ok;
    const back = await reenableEvents({ actor: owner.actor, botId: bot.id });
    expect(back.disabledAt).toBeNull();
    expect(back.consecutiveFailures).toBe(0);
    await messages.sendMessage({ actor: owner.actor, input: { channelId, body: "after re-enable" } });
    await waitFor(() => receiver.callbacks().length >= 1, "delivery after re-enable");
    await settle();
    expect(receiver.callbacks().map((r) => r.json.event.text)).toEqual(["after re-enable"]);
  });

  async function waitForStatus(botId: string, ok: (s: Awaited<ReturnType<typeof getEventsStatus>>) => boolean) {
    const until = Date.now() + 30_000;
    for (;;) {
      const s = await getEventsStatus({ actor: owner.actor, botId });
      if (ok(s)) return s;
      if (Date.now() > until) throw new Error(`status never matched: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 30));
    }
  }
});
