/**
 * Slash commands: the registry (admins, names incl. Chinese, no shadowing built-ins), the built-ins
 * through runCommand (replies are ephemeral: captured from the bus), apps' commands against a local
 * HTTP server on 127.0.0.1 (signed form fields; ephemeral, in_channel, response_url later, timeouts,
 * errors, blocked addresses), and a socket test that an ephemeral reaches only the invoker.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addChannelMembers, getChannel, listChannelMembers, listMyChannels } from "@/lib/channels/service";
import { redeemResponseUrl, RESPONSE_URL_MAX_USES } from "@/lib/commands/response-url";
import { createCommand, deleteCommand, listCommands, postToResponseUrl, runCommand, updateCommand } from "@/lib/commands/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { verifySlackSignature } from "@/lib/events/signing";
import { createBot } from "@/lib/integrations/bots";
import type { TEphemeralMessage } from "@/lib/messages/ephemeral";
import { listMessages, sendMessage } from "@/lib/messages/service";
import { configureOutbound } from "@/lib/outbound/http";
import { subscribe } from "@/lib/realtime/bus";
import type { TParleyNode } from "@/server/app";
import { eventually, sessionCookie, startNode, TestClient } from "@/tests/realtime-client";
import { createChannel, createMember, createWorkspace, expectAppError, uniq, type TTestUser, type TTestWorkspace } from "@/tests/factories";

const BASE = "http://127.0.0.1:1";

let ws: TTestWorkspace;
let owner: TTestUser;
let alice: TTestUser;
let bob: TTestUser;
let guest: TTestUser;
const ephemerals: { userId: string; message: TEphemeralMessage }[] = [];
let unsubscribe: () => void;

/** Ephemerals sent to `user` since `from` (an index into the log). */
function ephemeralsFor(user: TTestUser, from = 0) {
  return ephemerals.slice(from).filter((e) => e.userId === user.id).map((e) => e.message);
}

/** Runs a command as `user` and returns the result and the ephemeral replies it caused. */
async function run(user: TTestUser, channelId: string, text: string, extra: Record<string, unknown> = {}) {
  const from = ephemerals.length;
  const result = await runCommand({ actor: user.actor, input: { channelId, text, ...extra }, baseUrl: BASE });
  return { result, replies: ephemeralsFor(user, from), from };
}

beforeAll(async () => {
  await ensureDbReady();
  unsubscribe = subscribe((e) => {
    if (e.kind === "message.ephemeral") ephemerals.push({ userId: e.userId, message: e.message });
  });
  ws = await createWorkspace();
  owner = ws.owner;
  alice = await createMember(ws, "MEMBER", "Alice Wang");
  bob = await createMember(ws, "MEMBER", "李 雷");
  guest = await createMember(ws, "GUEST", "Guest Person");
});

afterAll(() => unsubscribe?.());

describe("registry", () => {
  let botId: string;
  beforeAll(async () => {
    botId = (await createBot({ actor: owner.actor, slug: ws.slug, input: { name: "Registry Bot" } })).bot.id;
  });

  it("admins register commands; Chinese names work; members see them without the URL", async () => {
    const created = await createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "/部署", url: "https://example.test/deploy", description: "部署应用", usageHint: "[环境]" } });
    expect(created).toMatchObject({ command: "部署", url: "https://example.test/deploy", builtin: false, botName: "Registry Bot" });
    const forMember = await listCommands({ actor: alice.actor, slug: ws.slug });
    expect(forMember.map((c) => c.command)).toEqual(expect.arrayContaining(["invite", "leave", "topic", "mute", "remind", "status", "help", "部署"]));
    const mine = forMember.find((c) => c.command === "部署")!;
    expect(mine).toMatchObject({ description: "部署应用", usageHint: "[环境]" });
    expect(mine.url).toBeUndefined();
    const updated = await updateCommand({ actor: owner.actor, slug: ws.slug, commandId: created.id!, input: { usageHint: "[prod|staging]" } });
    expect(updated.usageHint).toBe("[prod|staging]");
    await deleteCommand({ actor: owner.actor, slug: ws.slug, commandId: created.id! });
    expect((await listCommands({ actor: alice.actor, slug: ws.slug })).some((c) => c.command === "部署")).toBe(false);
  });

  it("refuses members, built-in names, bad names and URLs, duplicates and foreign bots", async () => {
    await expectAppError(createCommand({ actor: alice.actor, slug: ws.slug, input: { botId, command: "deploy", url: "https://example.test" } }), "forbidden");
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "/topic", url: "https://example.test" } }), "validation_failed", /built-in/);
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "two words", url: "https://example.test" } }), "validation_failed", /lower-case/);
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "x".repeat(33), url: "https://example.test" } }), "validation_failed");
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "ftp", url: "ftp://example.test/x" } }), "validation_failed", /http/);
    await createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "Dup", url: "https://example.test" } });
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId, command: "dup", url: "https://example.test" } }), "conflict", /already registered/);
    const other = await createWorkspace();
    const foreignBot = (await createBot({ actor: other.owner.actor, slug: other.slug, input: { name: "Foreign" } })).bot.id;
    await expectAppError(createCommand({ actor: owner.actor, slug: ws.slug, input: { botId: foreignBot, command: "foreign", url: "https://example.test" } }), "validation_failed", /botId/);
  });
});

describe("built-in commands", () => {
  it("/topic sets the topic; with no text it shows it", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("topic-") });
    const { result, replies } = await run(alice, ch.id, "/topic 本周目标：发布 v2");
    expect(result).toEqual({ ok: true, command: "/topic" });
    expect((await getChannel({ actor: alice.actor, channelId: ch.id })).topic).toBe("本周目标：发布 v2");
    expect(replies.map((r) => r.body)).toEqual(["Topic set to: 本周目标：发布 v2"]);
    expect(replies[0]).toMatchObject({ ephemeral: true, channelId: ch.id, sender: { name: "Parley" } });
    const shown = await run(alice, ch.id, "/topic");
    expect(shown.replies[0]!.body).toBe("The topic is: 本周目标：发布 v2");
  });

  it("/invite adds people by @name, <@id> or email; an unknown name adds nobody", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("inv-"), kind: "PRIVATE" });
    const bad = await run(alice, ch.id, `/invite @李雷 @nobody-here`);
    expect(bad.result.ok).toBe(false);
    expect(bad.replies[0]!.body).toMatch(/could not find @nobody-here.*Nobody was added/);
    expect((await listChannelMembers({ actor: alice.actor, channelId: ch.id })).map((m) => m.userId)).toEqual([alice.id]);
    const good = await run(alice, ch.id, `/invite @李雷 <@${owner.id}>`);
    expect(good.result.ok).toBe(true);
    expect(good.replies[0]!.body).toMatch(/^Added 李 雷, Owner to #inv-/);
    expect((await listChannelMembers({ actor: alice.actor, channelId: ch.id })).map((m) => m.userId).sort()).toEqual([alice.id, bob.id, owner.id].sort());
    const usage = await run(alice, ch.id, "/invite");
    expect(usage.result.ok).toBe(false);
    expect(usage.replies[0]!.body).toMatch(/^Usage: `\/invite/);
  });

  it("/invite follows the add-members rules: guests cannot add people", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("g-"), kind: "PRIVATE", memberIds: [guest.id] });
    const { result, replies } = await run(guest, ch.id, "/invite @李雷");
    expect(result.ok).toBe(false);
    expect(replies[0]!.body).toMatch(/\/invite failed: Guests cannot add people/);
  });

  it("/leave leaves the channel; #general cannot be left", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("leave-"), memberIds: [bob.id] });
    const { result } = await run(bob, ch.id, "/leave");
    expect(result.ok).toBe(true);
    expect((await listMyChannels({ actor: bob.actor, slug: ws.slug })).some((c) => c.id === ch.id)).toBe(false);
    const general = await run(bob, ws.generalId, "/leave");
    expect(general.result.ok).toBe(false);
    expect(general.replies[0]!.body).toMatch(/Everyone stays in #general/);
  });

  it("/mute toggles the member's mute flag, shown in the sidebar list", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("mute-") });
    expect((await run(alice, ch.id, "/mute")).replies[0]!.body).toMatch(/^Muted/);
    expect((await listMyChannels({ actor: alice.actor, slug: ws.slug })).find((c) => c.id === ch.id)?.muted).toBe(true);
    expect((await run(alice, ch.id, "/mute")).replies[0]!.body).toBe("Unmuted.");
    expect((await listMyChannels({ actor: alice.actor, slug: ws.slug })).find((c) => c.id === ch.id)?.muted).toBe(false);
  });

  it("/status sets emoji and text (Chinese too), shows it, and clears it", async () => {
    expect((await run(alice, ws.generalId, "/status :coffee: 开会中 back at 3")).replies[0]!.body).toBe("Status set: :coffee: 开会中 back at 3");
    let row = await getDb().user.findUnique({ where: { id: alice.id }, select: { statusText: true, statusEmoji: true } });
    expect(row).toEqual({ statusText: "开会中 back at 3", statusEmoji: ":coffee:" });
    expect((await run(alice, ws.generalId, "/status")).replies[0]!.body).toMatch(/Your status: :coffee: 开会中 back at 3/);
    // Shown beside the name in member lists.
    expect((await listChannelMembers({ actor: bob.actor, channelId: ws.generalId })).find((m) => m.userId === alice.id)).toMatchObject({ statusEmoji: ":coffee:", statusText: "开会中 back at 3" });
    const unknownEmoji = await run(alice, ws.generalId, "/status :no_such_emoji_here: hi");
    expect(unknownEmoji.result.ok).toBe(false);
    expect(unknownEmoji.replies[0]!.body).toMatch(/not an emoji Parley knows/);
    expect((await run(alice, ws.generalId, "/status :not an emoji")).result.ok).toBe(true);
    const bad = await run(alice, ws.generalId, `/status ${"长".repeat(101)}`);
    expect(bad.result.ok).toBe(false);
    await run(alice, ws.generalId, "/status clear");
    row = await getDb().user.findUnique({ where: { id: alice.id }, select: { statusText: true, statusEmoji: true } });
    expect(row).toEqual({ statusText: "", statusEmoji: "" });
  });

  it("/remind stores a reminder (Chinese too) and confirms; bad input gets the usage hint", async () => {
    const { result, replies } = await run(alice, ws.generalId, "/remind me 喝水 in 10 minutes");
    expect(result.ok).toBe(true);
    expect(replies[0]!.body).toMatch(/^OK, I will remind you "喝水" at \d{4}-\d\d-\d\d \d\d:\d\d \(in 10 minutes\)\.$/);
    const stored = await getDb().reminder.findFirst({ where: { userId: alice.id, text: "喝水" } });
    expect(stored!.dueAt.getTime() - Date.now()).toBeGreaterThan(9 * 60_000);
    const bad = await run(alice, ws.generalId, "/remind me 喝水 sometime");
    expect(bad.result.ok).toBe(false);
    expect(bad.replies[0]!.body).toMatch(/Usage: `\/remind me <what> in <n> minutes\|hours\|days`/);
  });

  it("/help lists built-ins and registered commands; unknown commands are refused with a hint", async () => {
    const help = await run(alice, ws.generalId, "/help");
    expect(help.replies[0]!.body).toMatch(/`\/remind me \[what\]/);
    const unknown = await run(alice, ws.generalId, "/nope do things");
    expect(unknown.result).toMatchObject({ ok: false, command: "/nope" });
    expect(unknown.replies[0]!.body).toBe("/nope is not a command here. Type /help to see what you can use.");
    const invalid = await run(alice, ws.generalId, "/a b/c? x");
    expect(invalid.result.ok).toBe(false);
    await expectAppError(runCommand({ actor: alice.actor, input: { channelId: ws.generalId, text: "no slash" } }), "validation_failed", /must start with \//);
  });

  it("needs read access to the conversation", async () => {
    const secret = await createChannel(ws, owner, { name: uniq("secret-"), kind: "PRIVATE" });
    await expectAppError(runCommand({ actor: alice.actor, input: { channelId: secret.id, text: "/topic hi" } }), "not_found");
  });
});

type TRecorded = { headers: IncomingMessage["headers"]; body: string; form: URLSearchParams };

describe("apps' commands", () => {
  let server: Server;
  let port: number;
  const received: TRecorded[] = [];
  let bot: { id: string; userId: string; signingSecret: string };
  let channelId: string;

  /** The app: answers by the command's text. */
  beforeAll(async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        received.push({ headers: req.headers, body, form });
        const text = form.get("text") ?? "";
        const json = (status: number, data: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(data));
        };
        if (text === "eph") return json(200, { text: "只给你看 only you" });
        if (text === "plain") return void res.writeHead(200, { "content-type": "text/plain" }).end("plain answer 文字");
        if (text === "chan") return json(200, { response_type: "in_channel", text: "Deployed *v2* 🚀", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Deployed *v2*" } }] });
        if (text === "divider") return json(200, { response_type: "in_channel", blocks: [{ type: "divider" }] });
        if (text === "sectiononly") return json(200, { response_type: "in_channel", blocks: [{ type: "section", text: { type: "plain_text", text: "只有区块 blocks only" } }] });
        if (text === "badblocks") return json(200, { text: "x", blocks: [{ type: "section" }] });
        if (text === "later") return void res.writeHead(200).end();
        if (text === "boom") return json(500, { error: "down" });
        if (text === "slow") return void setTimeout(() => json(200, { text: "too late" }), 4000);
        json(200, { text: `echo ${text}` });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    const created = await createBot({ actor: owner.actor, slug: ws.slug, input: { name: "Deploy Bot" } });
    bot = { id: created.bot.id, userId: created.bot.userId, signingSecret: created.signingSecret };
    await createCommand({ actor: owner.actor, slug: ws.slug, input: { botId: bot.id, command: "deploy", url: `http://127.0.0.1:${port}/slack/commands`, description: "Deploy" } });
    channelId = (await createChannel(ws, alice, { name: uniq("apps-"), memberIds: [bob.id] })).id;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it("POSTs Slack's form fields, signed with the app's signing secret", async () => {
    const { result } = await run(alice, channelId, "/deploy eph");
    expect(result).toEqual({ ok: true, command: "/deploy" });
    const req = received.at(-1)!;
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const verdict = verifySlackSignature({ signingSecret: bot.signingSecret, body: req.body, signature: req.headers["x-slack-signature"] as string, timestamp: req.headers["x-slack-request-timestamp"] as string });
    expect(verdict).toEqual({ ok: true });
    expect(verifySlackSignature({ signingSecret: "wrong", body: req.body, signature: req.headers["x-slack-signature"] as string, timestamp: req.headers["x-slack-request-timestamp"] as string }).ok).toBe(false);
    const f = Object.fromEntries(req.form);
    expect(f).toMatchObject({
      token: "",
      team_id: ws.id,
      team_domain: ws.slug,
      channel_id: channelId,
      user_id: alice.id,
      user_name: "Alice Wang",
      command: "/deploy",
      text: "eph",
      api_app_id: bot.id,
      is_enterprise_install: "false",
    });
    expect(f.channel_name).toMatch(/^apps-/);
    expect(f.response_url).toMatch(/^http:\/\/127\.0\.0\.1:1\/api\/response-url\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]{43}$/);
    expect(f.trigger_id).toMatch(/^\d+\.[0-9a-f]+$/);
  });

  it("a JSON or text answer is shown to the invoker only, from the app", async () => {
    const eph = await run(alice, channelId, "/deploy eph");
    expect(eph.replies).toHaveLength(1);
    expect(eph.replies[0]).toMatchObject({ body: "只给你看 only you", markup: "mrkdwn", sender: { id: bot.userId, name: "Deploy Bot", botId: bot.id }, ephemeral: true });
    expect(ephemeralsFor(bob, eph.from)).toHaveLength(0);
    const plain = await run(alice, channelId, "/deploy plain");
    expect(plain.replies[0]!.body).toBe("plain answer 文字");
    const echo = await run(alice, channelId, "/DEPLOY 中文 参数");
    expect(echo.replies[0]!.body).toBe("echo 中文 参数");
  });

  it("in_channel needs the bot in the channel, then posts as the bot with mrkdwn and blocks", async () => {
    const refused = await run(alice, channelId, "/deploy chan");
    expect(refused.replies[0]!.body).toMatch(/Deploy Bot is not in this channel/);
    await addChannelMembers({ actor: alice.actor, channelId, input: { userIds: [bot.userId] } });
    const posted = await run(alice, channelId, "/deploy chan");
    expect(posted.result.ok).toBe(true);
    expect(posted.replies).toHaveLength(0);
    const history = await listMessages({ actor: bob.actor, input: { channelId } });
    // Like Slack, the command itself is shared too, from the person who ran it, just before the answer.
    expect(history.messages.at(-2)).toMatchObject({ body: "/deploy chan", markup: "plain", sender: { id: alice.id } });
    const last = history.messages.at(-1)!;
    expect(last).toMatchObject({ body: "Deployed *v2* 🚀", markup: "mrkdwn", sender: { id: bot.userId, botId: bot.id } });
    expect(last.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "Deployed *v2*" } }]);
    // Blocks without text: the body falls back to the blocks' text, or Slack's placeholder.
    expect((await run(alice, channelId, "/deploy sectiononly")).result.ok).toBe(true);
    expect((await listMessages({ actor: bob.actor, input: { channelId } })).messages.at(-1)).toMatchObject({ body: "只有区块 blocks only", blocks: [{ type: "section" }] });
    expect((await run(alice, channelId, "/deploy divider")).result.ok).toBe(true);
    expect((await listMessages({ actor: bob.actor, input: { channelId } })).messages.at(-1)).toMatchObject({ body: "This content can't be displayed.", blocks: [{ type: "divider" }] });
  });

  it("errors name the command: non-2xx, invalid blocks, timeout, blocked address", async () => {
    const boom = await run(alice, channelId, "/deploy boom");
    expect(boom.result.ok).toBe(false);
    expect(boom.replies[0]!.body).toBe("/deploy failed: the app answered with HTTP 500.");
    const blocks = await run(alice, channelId, "/deploy badblocks");
    expect(blocks.replies[0]!.body).toMatch(/^\/deploy failed: the app's answer could not be shown \(invalid_blocks/);
    const slow = await run(alice, channelId, "/deploy slow");
    expect(slow.replies[0]!.body).toBe("/deploy failed: the app did not answer within 3 seconds.");
    await createCommand({ actor: owner.actor, slug: ws.slug, input: { botId: bot.id, command: "internal", url: "http://10.1.2.3/hook" } });
    const blocked = await run(alice, channelId, "/internal x");
    expect(blocked.result.ok).toBe(false);
    expect(blocked.replies[0]!.body).toMatch(/^\/internal failed: its URL is not allowed \(10\.1\.2\.3 is a private address/);
  });

  it("response_url: later answers (ephemeral and in_channel), at most 5 uses, tamper-proof", async () => {
    const { result } = await run(alice, channelId, "/deploy later");
    expect(result.ok).toBe(true);
    const url = new URL(received.at(-1)!.form.get("response_url")!);
    const [, , , id, secret] = url.pathname.split("/");
    const from = ephemerals.length;
    await postToResponseUrl({ id: id!, secret: secret!, body: { text: "Build finished ✅ 完成" } });
    expect(ephemeralsFor(alice, from).map((m) => m.body)).toEqual(["Build finished ✅ 完成"]);
    await postToResponseUrl({ id: id!, secret: secret!, body: { text: "replacing", replace_original: true } });
    expect(ephemeralsFor(alice, from).at(-1)).toMatchObject({ body: "replacing", replace: true });
    await postToResponseUrl({ id: id!, secret: secret!, body: { response_type: "in_channel", text: "Shipped to production 上线" } });
    expect((await listMessages({ actor: bob.actor, input: { channelId } })).messages.at(-1)).toMatchObject({ body: "Shipped to production 上线", sender: { id: bot.userId } });
    await expectAppError(postToResponseUrl({ id: id!, secret: secret!, body: { nothing: true } }), "validation_failed", "no_text");
    await postToResponseUrl({ id: id!, secret: secret!, body: { text: "fifth" } });
    await expectAppError(postToResponseUrl({ id: id!, secret: secret!, body: { text: "sixth" } }), "rate_limited", "used_too_many_times");
    expect(RESPONSE_URL_MAX_USES).toBe(5);
    // Forged: the last two characters changed (a secret that happened to end in "AA" was once "forged" into itself).
    const forged = secret!.slice(0, -2) + (secret!.endsWith("AA") ? "BB" : "AA");
    await expectAppError(postToResponseUrl({ id: id!, secret: forged, body: { text: "forged" } }), "not_found", "invalid_response_url");
    // Changing the context (another channel) breaks the signature.
    const ctx = JSON.parse(Buffer.from(id!, "base64url").toString());
    const altered = Buffer.from(JSON.stringify({ ...ctx, c: ws.generalId })).toString("base64url");
    await expectAppError(postToResponseUrl({ id: altered, secret: secret!, body: { text: "moved" } }), "not_found", "invalid_response_url");
  });

  it("response_url expires after 30 minutes", async () => {
    await run(alice, channelId, "/deploy later");
    const [, , , id, secret] = new URL(received.at(-1)!.form.get("response_url")!).pathname.split("/");
    expect(() => redeemResponseUrl(id!, secret!, Date.now() + 31 * 60_000)).toThrow(/expired_url/);
  });
});

describe("ephemeral delivery over sockets", () => {
  let node: TParleyNode;
  const clients: TestClient[] = [];
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await node?.close();
  });

  it("reaches every tab of the invoker and nobody else", async () => {
    const ch = await createChannel(ws, alice, { name: uniq("sock-"), memberIds: [bob.id] });
    const connect = async (user: TTestUser) => {
      const c = new TestClient(node.port, await sessionCookie(user.id), [ch.id]);
      clients.push(c);
      await c.connect();
      const got: TEphemeralMessage[] = [];
      c.socket.on("messages.ephemeral", (m) => got.push(m));
      return { c, got };
    };
    const aliceTab1 = await connect(alice);
    const aliceTab2 = await connect(alice);
    const bobTab = await connect(bob);
    await run(alice, ch.id, "/topic 只有我看到回复");
    await eventually(() => {
      expect(aliceTab1.got.map((m) => m.body)).toEqual(["Topic set to: 只有我看到回复"]);
      expect(aliceTab2.got.map((m) => m.body)).toEqual(["Topic set to: 只有我看到回复"]);
    });
    // A message sent after the reply reaches Bob; by then the reply would have reached him too.
    const marker = await sendMessage({ actor: alice.actor, input: { channelId: ch.id, body: "after the reply" } });
    await eventually(() => expect(bobTab.c.visible(ch.id).map((m) => m.id)).toContain(marker.id));
    expect(bobTab.got).toEqual([]);
    // Never stored: nothing in history or catch-up.
    const history = await listMessages({ actor: alice.actor, input: { channelId: ch.id } });
    expect(history.messages.some((m) => m.body.includes("Topic set to"))).toBe(false);
  });
});

describe("HTTP handlers", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    configureOutbound({ allowlist: "127.0.0.1" });
    server = createServer((_req, res) => void res.writeHead(200).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it("POST /api/commands/run needs a session and answers the run result", async () => {
    const { POST } = await import("@/app/api/commands/run/route");
    const call = (cookie: string | null, body: unknown) =>
      POST(new Request("http://127.0.0.1:3000/api/commands/run", { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });
    expect((await call(null, { channelId: ws.generalId, text: "/help" })).status).toBe(401);
    const cookie = await sessionCookie(alice.id);
    const ok = await call(cookie, { channelId: ws.generalId, text: "/topic 来自 HTTP" });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, command: "/topic" });
    const unknown = await call(cookie, { channelId: ws.generalId, text: "/nope" });
    expect(await unknown.json()).toMatchObject({ ok: false, command: "/nope" });
    expect((await call(cookie, { channelId: ws.generalId, text: "" })).status).toBe(422);
  });

  it("POST /api/response-url/:id/:secret answers like Slack", async () => {
    const created = await createBot({ actor: owner.actor, slug: ws.slug, input: { name: "Later Bot" } });
    await createCommand({ actor: owner.actor, slug: ws.slug, input: { botId: created.bot.id, command: "later", url: `http://127.0.0.1:${port}/` } });
    const from = ephemerals.length;
    const result = await runCommand({ actor: alice.actor, input: { channelId: ws.generalId, text: "/later" }, baseUrl: "http://parley.example" });
    expect(result.ok).toBe(true);
    expect(ephemeralsFor(alice, from)).toHaveLength(0); // an empty 200 shows nothing
    const ids = (await import("@/lib/commands/response-url")).issueResponsePath({ workspaceId: ws.id, channelId: ws.generalId, userId: alice.id, botId: created.bot.id, command: "/later" });
    const [, , , id, secret] = ids.path.split("/");
    const { POST } = await import("@/app/api/response-url/[id]/[secret]/route");
    const call = (s: string, body: string) => POST(new Request(`http://127.0.0.1:3000${ids.path}`, { method: "POST", headers: { "content-type": "application/json" }, body }), { params: Promise.resolve({ id: id!, secret: s }) });
    const ok = await call(secret!, JSON.stringify({ text: "稍后的回答 later answer" }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("ok");
    expect(ephemeralsFor(alice, from).map((m) => m.body)).toEqual(["稍后的回答 later answer"]);
    const badJson = await call(secret!, "{not json");
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ ok: false, error: "invalid_json" });
    const forged = await call("x".repeat(43), JSON.stringify({ text: "x" }));
    expect(forged.status).toBe(404);
    expect(await forged.json()).toEqual({ ok: false, error: "invalid_response_url" });
  });
});
