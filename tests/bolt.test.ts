/**
 * A stock @slack/bolt app, unchanged except for where its Web API lives, works against Parley: its
 * HTTPReceiver (on 127.0.0.1, allow-listed) passes Parley's url_verification, verifies Parley's
 * signatures with the bot's signing secret, receives an app_mention, and its handler replies with
 * say() through Parley's Web API (/api/chat.postMessage); the reply is stored in the channel. The
 * reply comes back to the app as a message event, which Bolt's ignoreSelf drops. A pin_added reaches
 * its typed event handler, which reads the pins back with the Web API client.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { afterAll, beforeAll, expect, it } from "vitest";
import { addChannelMembers } from "@/lib/channels/service";
import { configureEvents, getEventsConfig } from "@/lib/events/config";
import { getEventsStatus, setEventsUrl } from "@/lib/events/service";
import { createBotIn } from "@/lib/integrations/bots";
import { pinMessage } from "@/lib/messages/pins";
import { listMessages, sendMessage } from "@/lib/messages/service";
import { listReplies } from "@/lib/messages/threads";
import { configureOutbound } from "@/lib/outbound/http";
import type { TParleyNode } from "@/server/app";
import { createChannel, createWorkspace, type TTestWorkspace } from "@/tests/factories";
import { startNode } from "@/tests/realtime-client";

let node: TParleyNode;
let app: App;
let boltServer: Server;
let ws: TTestWorkspace;
let made: Awaited<ReturnType<typeof createBotIn>>;
let boltUrl: string;
const defaults = getEventsConfig();
const seen: { type: string; user?: string; text?: string }[] = [];
const errors: unknown[] = [];

const quiet = { debug() {}, info() {}, warn() {}, error: (...a: unknown[]) => errors.push(a), setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

beforeAll(async () => {
  configureOutbound({ allowlist: "127.0.0.1" });
  configureEvents({ pollMs: 100 });
  node = await startNode();
  ws = await createWorkspace(undefined, { name: "Bolt 工作区" });
  made = await createBotIn(ws.id, ws.owner.id, { name: "Bolt Bot" });

  const receiver = new HTTPReceiver({ signingSecret: made.signingSecret, endpoints: "/slack/events", logger: quiet });
  app = new App({ token: made.token, receiver, logger: quiet, clientOptions: { slackApiUrl: `http://127.0.0.1:${node.port}/api/` } });
  app.event("app_mention", async ({ event, say }) => {
    seen.push({ type: "app_mention", user: event.user, text: event.text });
    await say({ text: `Hi <@${event.user}>, 收到了`, thread_ts: event.ts });
  });
  // A pin answered through the Web API: the app reads the channel's pins back.
  app.event("pin_added", async ({ event, client }) => {
    const pins = await client.pins.list({ channel: event.channel_id });
    seen.push({ type: "pin_added", user: event.user, text: `${event.item.message?.text} · pins: ${pins.items?.length} · count: ${event.pin_count}` });
  });
  app.message(async ({ message }) => {
    const m = message as { user?: string; text?: string };
    seen.push({ type: "message", user: m.user, text: m.text });
  });
  app.error(async (err) => {
    errors.push(err);
  });
  boltServer = await app.start({ port: 0, host: "127.0.0.1" });
  boltUrl = `http://127.0.0.1:${(boltServer.address() as AddressInfo).port}/slack/events`;
}, 180_000);

afterAll(async () => {
  configureEvents(defaults);
  await app?.stop();
  await node?.close();
});

it("a Bolt app verifies its URL, gets an app_mention from Parley and replies through the Web API", async () => {
  const channel = await createChannel(ws, ws.owner, { name: "bolt-测试" });
  await addChannelMembers({ actor: ws.owner.actor, channelId: channel.id, input: { userIds: [made.bot.userId] } });

  // Bolt's receiver answers url_verification itself.
  const status = await setEventsUrl({ actor: ws.owner.actor, botId: made.bot.id, url: boltUrl, subscriptions: ["app_mention", "message.channels"] });
  expect(status.verifiedAt).not.toBeNull();

  const started = Date.now();
  const mention = await sendMessage({ actor: ws.owner.actor, input: { channelId: channel.id, body: `<@${made.bot.userId}> deploy please 请部署` } });

  const reply = await (async () => {
    for (;;) {
      const page = await listMessages({ actor: ws.owner.actor, input: { channelId: channel.id } });
      // The reply is a thread reply (say with thread_ts): find it through the root's reply count.
      const root = page.messages.find((m) => m.id === mention.id);
      if (root && root.replyCount > 0) return root;
      if (Date.now() - started > 60_000) throw new Error(`no reply from the Bolt app; errors: ${errors.map(String).join("; ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  expect(reply.replyCount).toBe(1);

  const { replies } = await listReplies({ actor: ws.owner.actor, input: { messageId: mention.id } });
  expect(replies).toHaveLength(1);
  expect(replies[0]).toMatchObject({ body: `Hi <@${ws.owner.id}>, 收到了`, sender: { id: made.bot.userId, botId: made.bot.id } });

  expect(seen.filter((s) => s.type === "app_mention")).toEqual([{ type: "app_mention", user: ws.owner.id, text: `<@${made.bot.userId}> deploy please 请部署` }]);

  // The owner's message reached the app's message listener; its own reply (delivered with bot_id) did not.
  const deliveries = await (async () => {
    for (;;) {
      const s = await getEventsStatus({ actor: ws.owner.actor, botId: made.bot.id });
      if (s.recentDeliveries.length >= 3 && s.recentDeliveries.every((d) => d.state === "delivered")) return s.recentDeliveries;
      if (Date.now() - started > 60_000) throw new Error(`deliveries not settled: ${JSON.stringify(s.recentDeliveries)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  expect(deliveries.map((d) => d.eventType).sort()).toEqual(["app_mention", "message.channels", "message.channels"]);
  expect(seen.filter((s) => s.type === "message").map((s) => s.user)).toEqual([ws.owner.id]);
  expect(errors).toEqual([]);
}, 120_000);

it("a Bolt app's pin_added handler gets the pinned message and reads the pins back through the Web API", async () => {
  const channel = await createChannel(ws, ws.owner, { name: "bolt-置顶" });
  await addChannelMembers({ actor: ws.owner.actor, channelId: channel.id, input: { userIds: [made.bot.userId] } });
  await setEventsUrl({ actor: ws.owner.actor, botId: made.bot.id, url: boltUrl, subscriptions: ["pin_added"] });
  const message = await sendMessage({ actor: ws.owner.actor, input: { channelId: channel.id, body: "发布清单 release checklist" } });
  await pinMessage({ actor: ws.owner.actor, input: { messageId: message.id } });
  const started = Date.now();
  while (!seen.some((s) => s.type === "pin_added")) {
    if (Date.now() - started > 60_000) throw new Error(`no pin_added reached the Bolt app; errors: ${errors.map(String).join("; ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(seen.filter((s) => s.type === "pin_added")).toEqual([{ type: "pin_added", user: ws.owner.id, text: "发布清单 release checklist · pins: 1 · count: 1" }]);
  expect(errors).toEqual([]);
}, 120_000);
