/**
 * The Slack-compatible Web API and incoming webhooks, driven over real HTTP by Slack's official
 * @slack/web-api client pointed at a started node (slackApiUrl), as an existing integration would be.
 */
import { ErrorCode, LogLevel, WebClient, type WebAPICallResult } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinChannel } from "@/lib/channels/service";
import { getDb } from "@/lib/db";
import { createBotIn } from "@/lib/integrations/bots";
import { issueToken } from "@/lib/integrations/tokens";
import { createWebhookIn } from "@/lib/integrations/webhooks";
import { ALL_SCOPES } from "@/lib/integrations/schema";
import { listMessages, sendMessage } from "@/lib/messages/service";
import type { TParleyNode } from "@/server/app";
import { startNode } from "@/tests/realtime-client";
import { createChannel, createMember, createWorkspace, uniq, type TTestUser, type TTestWorkspace } from "@/tests/factories";

let node: TParleyNode;
let base: string;
let ws: TTestWorkspace;
let owner: TTestUser;
let member: TTestUser;
let bot: { token: string; userId: string; botId: string };
let botClient: WebClient;
let userClient: WebClient;
let publicId: string;
let privateId: string;

/** The client logs every refusal; the tests check them instead. */
const quiet = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

/** A client that fails fast instead of retrying, so refusals are seen as they are. */
function client(token: string | undefined, opts: { rejectRateLimitedCalls?: boolean } = {}): WebClient {
  return new WebClient(token, { slackApiUrl: `${base}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: opts.rejectRateLimitedCalls ?? true, logger: quiet });
}

/** The Slack error name a call failed with. */
async function slackError(call: Promise<WebAPICallResult>): Promise<string> {
  try {
    await call;
  } catch (err) {
    const e = err as { code?: string; data?: { error?: string } };
    if (e.code === ErrorCode.PlatformError) return e.data!.error!;
    if (e.code === ErrorCode.RateLimitedError) return "ratelimited";
    throw err;
  }
  throw new Error("the call succeeded");
}

beforeAll(async () => {
  node = await startNode();
  base = `http://127.0.0.1:${node.port}`;
  ws = await createWorkspace(undefined, { name: "Acme 中文" });
  owner = ws.owner;
  member = await createMember(ws, "MEMBER", "Mei 美");
  publicId = (await createChannel(ws, owner, { name: uniq("dev") })).id;
  privateId = (await createChannel(ws, owner, { name: uniq("secret"), kind: "PRIVATE" })).id;
  const created = await createBotIn(ws.id, owner.id, { name: "Deploy Bot" });
  bot = { token: created.token, userId: created.bot.userId, botId: created.bot.id };
  botClient = client(bot.token);
  userClient = client((await issueToken({ workspaceId: ws.id, userId: member.id, kind: "USER", name: "t", scopes: [...ALL_SCOPES], createdById: member.id })).token);
});

afterAll(async () => {
  await node?.close();
});

describe("auth", () => {
  it("api.test echoes and fails on request, without a token", async () => {
    const anon = client(undefined);
    const res = await anon.apiCall("api.test", { foo: "bar" });
    expect(res.ok).toBe(true);
    expect((res as { args?: Record<string, unknown> }).args).toEqual({ foo: "bar" });
    expect(await slackError(anon.apiCall("api.test", { error: "my_error" }))).toBe("my_error");
  });

  it("auth.test names the bot, its user and the workspace", async () => {
    const res = await botClient.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: bot.userId, bot_id: bot.botId, team_id: ws.id, team: "Acme 中文" });
    const me = await userClient.auth.test();
    expect(me.user_id).toBe(member.id);
    expect(me.bot_id).toBeUndefined();
  });

  it("refuses missing, invalid and revoked tokens with Slack's errors", async () => {
    const res = await fetch(`${base}/api/auth.test`, { method: "POST" });
    expect(await res.json()).toEqual(expect.objectContaining({ ok: false, error: "not_authed" }));
    expect(await slackError(client("xoxb-not-a-real-token-000000000000").auth.test())).toBe("invalid_auth");
    const extra = await issueToken({ workspaceId: ws.id, userId: member.id, kind: "USER", name: "temp", scopes: ["chat:write"], createdById: member.id });
    const temp = client(extra.token);
    expect((await temp.auth.test()).ok).toBe(true);
    expect(await temp.auth.revoke()).toMatchObject({ ok: true, revoked: true });
    expect(await slackError(temp.auth.test())).toBe("token_revoked");
  });

  it("unknown methods and malformed bodies get unknown_method and invalid_payload", async () => {
    expect(await slackError(botClient.apiCall("chat.doesNotExist"))).toBe("unknown_method");
    const res = await fetch(`${base}/api/chat.postMessage`, { method: "POST", headers: { authorization: `Bearer ${bot.token}`, "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: false, error: "invalid_payload" });
    // A NUL cannot name anything and PostgreSQL refuses it: a named refusal, not internal_error.
    expect(await slackError(botClient.conversations.info({ channel: "C\u0000" }))).toBe("invalid_arguments");
  });

  it("enforces scopes per call and says which is missing", async () => {
    const narrow = await issueToken({ workspaceId: ws.id, userId: member.id, kind: "USER", name: "narrow", scopes: ["chat:write"], createdById: member.id });
    const err = await client(narrow.token).conversations.history({ channel: ws.generalId }).catch((e: { data: Record<string, unknown> }) => e.data);
    expect(err).toMatchObject({ ok: false, error: "missing_scope", needed: "channels:history", provided: "chat:write" });
  });
});

describe("a bot in channels", () => {
  it("must be invited or join: not_in_channel until then, and never sees private channels", async () => {
    expect(await slackError(botClient.chat.postMessage({ channel: publicId, text: "hi" }))).toBe("not_in_channel");
    expect(await slackError(botClient.conversations.history({ channel: publicId }))).toBe("not_in_channel");
    expect(await slackError(botClient.chat.postMessage({ channel: privateId, text: "hi" }))).toBe("channel_not_found");
    expect(await slackError(botClient.conversations.join({ channel: privateId }))).toBe("channel_not_found");
    const joined = await botClient.conversations.join({ channel: publicId });
    expect(joined.channel).toMatchObject({ id: publicId, is_member: true, is_channel: true });
  });

  it("posts text, mrkdwn, thread replies and broadcasts that people see in order", async () => {
    const first = await botClient.chat.postMessage({ channel: publicId, text: "Deploy *started* for <@" + member.id + "> 部署开始" });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(first.message).toMatchObject({ text: `Deploy *started* for <@${member.id}> 部署开始`, user: bot.userId, bot_id: bot.botId });
    const reply = await botClient.chat.postMessage({ channel: publicId, text: "step 1 done", thread_ts: first.ts });
    expect(reply.message).toMatchObject({ thread_ts: first.ts });
    const broadcast = await botClient.chat.postMessage({ channel: publicId, text: "all done", thread_ts: first.ts!, reply_broadcast: true });
    expect(Number(broadcast.ts)).toBeGreaterThan(Number(reply.ts));

    // People see the same thing through Parley's own API.
    const page = await listMessages({ actor: member.actor, input: { channelId: publicId } });
    expect(page.messages.map((m) => m.body)).toEqual([`Deploy *started* for <@${member.id}> 部署开始`, "all done"]);
    expect(page.messages[0]).toMatchObject({ markup: "mrkdwn", replyCount: 2, sender: { isBot: true, botId: bot.botId } });

    const history = await botClient.conversations.history({ channel: publicId });
    expect(history.messages!.map((m) => m.text)).toEqual(["all done", `Deploy *started* for <@${member.id}> 部署开始`]);
    expect(history.messages![1]).toMatchObject({ reply_count: 2, thread_ts: first.ts });
    const replies = await botClient.conversations.replies({ channel: publicId, ts: first.ts! });
    expect(replies.messages!.map((m) => m.text)).toEqual([`Deploy *started* for <@${member.id}> 部署开始`, "step 1 done", "all done"]);
  });

  it("pages conversations.history with limit and cursor, and honours oldest/latest", async () => {
    const ch = (await createChannel(ws, owner, { name: uniq("paging") })).id;
    await botClient.conversations.join({ channel: ch });
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push((await botClient.chat.postMessage({ channel: ch, text: `n${i}` })).ts!);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await botClient.conversations.history({ channel: ch, limit: 3, cursor });
      seen.push(...page.messages!.map((m) => m.text!));
      cursor = page.response_metadata?.next_cursor || undefined;
      expect(page.has_more).toBe(!!cursor);
    } while (cursor);
    expect(seen).toEqual(["n6", "n5", "n4", "n3", "n2", "n1", "n0"]);
    const window = await botClient.conversations.history({ channel: ch, oldest: sent[1], latest: sent[4] });
    expect(window.messages!.map((m) => m.text)).toEqual(["n3", "n2"]);
    const inclusive = await botClient.conversations.history({ channel: ch, oldest: sent[1], latest: sent[4], inclusive: true });
    expect(inclusive.messages!.map((m) => m.text)).toEqual(["n4", "n3", "n2", "n1"]);
    expect(await slackError(botClient.conversations.history({ channel: ch, oldest: "yesterday" }))).toBe("invalid_ts_oldest");
  });

  it("edits and deletes its own messages only", async () => {
    const posted = await botClient.chat.postMessage({ channel: publicId, text: "draft" });
    const updated = await botClient.chat.update({ channel: publicId, ts: posted.ts!, text: "final ✅" });
    expect(updated).toMatchObject({ ok: true, ts: posted.ts, text: "final ✅" });
    const byPerson = await sendMessage({ actor: owner.actor, input: { channelId: publicId, body: "mine" } });
    expect(await slackError(botClient.chat.update({ channel: publicId, ts: byPerson.ts, text: "hijack" }))).toBe("cant_update_message");
    expect(await slackError(botClient.chat.delete({ channel: publicId, ts: byPerson.ts }))).toBe("cant_delete_message");
    expect(await slackError(botClient.chat.update({ channel: publicId, ts: "1234567890.000001", text: "x" }))).toBe("message_not_found");
    await botClient.chat.delete({ channel: publicId, ts: posted.ts! });
    const row = await getDb().message.findUnique({ where: { id: (await getDb().message.findFirst({ where: { channelId: publicId, senderId: bot.userId, deletedAt: { not: null } }, select: { id: true } }))!.id } });
    expect(row).toMatchObject({ body: "" });
    expect(await slackError(botClient.chat.delete({ channel: publicId, ts: posted.ts! }))).toBe("message_not_found");
  });

  it("refuses empty and oversized text, bad blocks, and bad thread_ts without storing anything", async () => {
    const before = await getDb().message.count({ where: { channelId: publicId } });
    expect(await slackError(botClient.chat.postMessage({ channel: publicId, text: "" }))).toBe("no_text");
    expect(await slackError(botClient.chat.postMessage({ channel: publicId, text: "字".repeat(40_001) }))).toBe("msg_too_long");
    expect(await slackError(botClient.chat.postMessage({ channel: publicId, text: "x", blocks: [{ type: "section" }] as never }))).toBe("invalid_blocks");
    expect(await slackError(botClient.chat.postMessage({ channel: publicId, text: "x", thread_ts: "1000000000.000001" }))).toBe("thread_not_found");
    expect(await slackError(botClient.chat.postMessage({ channel: "nope-" + uniq(), text: "x" }))).toBe("channel_not_found");
    expect(await getDb().message.count({ where: { channelId: publicId } })).toBe(before);
  });

  it("posts blocks and attachments with a username and icon override", async () => {
    const res = await botClient.chat.postMessage({
      channel: publicId,
      text: "fallback",
      username: "CI",
      icon_emoji: ":rocket:",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "Build 42" } },
        { type: "section", text: { type: "mrkdwn", text: "*passed* in 3m" } },
        { type: "divider" },
      ],
      attachments: [{ color: "good", title: "Logs", title_link: "https://ci.example.com/42", fields: [{ title: "Branch", value: "main", short: true }] }],
    });
    expect(res.message).toMatchObject({ username: "CI", icons: { emoji: ":rocket:" }, subtype: "bot_message" });
    expect((res.message!.blocks as unknown[]).length).toBe(3);
    const stored = (await listMessages({ actor: member.actor, input: { channelId: publicId } })).messages.at(-1)!;
    expect(stored).toMatchObject({ overrideName: "CI", overrideIcon: ":rocket:", body: "fallback" });
    expect(stored.attachments).toHaveLength(1);
  });

  it("reacts and pins by channel + timestamp with Slack's refusals", async () => {
    const posted = await sendMessage({ actor: owner.actor, input: { channelId: publicId, body: "react to me" } });
    await botClient.reactions.add({ channel: publicId, timestamp: posted.ts, name: "thumbsup" });
    expect(await slackError(botClient.reactions.add({ channel: publicId, timestamp: posted.ts, name: "thumbsup" }))).toBe("already_reacted");
    const got = await botClient.reactions.get({ channel: publicId, timestamp: posted.ts });
    expect((got.message as { reactions: unknown[] }).reactions).toEqual([{ name: "thumbsup", users: [bot.userId], count: 1 }]);
    await botClient.reactions.remove({ channel: publicId, timestamp: posted.ts, name: "thumbsup" });
    expect(await slackError(botClient.reactions.remove({ channel: publicId, timestamp: posted.ts, name: "thumbsup" }))).toBe("no_reaction");
    await botClient.pins.add({ channel: publicId, timestamp: posted.ts });
    expect(await slackError(botClient.pins.add({ channel: publicId, timestamp: posted.ts }))).toBe("already_pinned");
    const pins = await botClient.pins.list({ channel: publicId });
    expect((pins.items as { message: { ts: string } }[]).map((i) => i.message.ts)).toContain(posted.ts);
    // conversations.history counts the channel's pins, as Slack's does.
    const history = await botClient.conversations.history({ channel: publicId, limit: 1 });
    expect(history.pin_count).toBe(pins.items!.length);
    await botClient.pins.remove({ channel: publicId, timestamp: posted.ts });
    expect((await botClient.conversations.history({ channel: publicId, limit: 1 })).pin_count).toBe(pins.items!.length - 1);
  });

  it("sends ephemeral messages only to members and gives permalinks", async () => {
    await joinChannel({ actor: member.actor, channelId: publicId }).catch(() => undefined);
    const eph = await botClient.chat.postEphemeral({ channel: publicId, user: member.id, text: "only you" });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    const outsider = await createMember(ws);
    expect(await slackError(botClient.chat.postEphemeral({ channel: publicId, user: outsider.id, text: "x" }))).toBe("user_not_in_channel");
    const posted = await botClient.chat.postMessage({ channel: publicId, text: "link me" });
    const link = await botClient.chat.getPermalink({ channel: publicId, message_ts: posted.ts! });
    expect(link.permalink).toContain(`/archives/${publicId}/p${posted.ts!.replace(".", "")}`);
  });
});

describe("conversations and users", () => {
  it("lists channels with cursors, creates, opens DMs and lists members", async () => {
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await botClient.conversations.list({ limit: 2, cursor, types: "public_channel,private_channel" });
      all.push(...page.channels!.map((c) => c.id!));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(all).toContain(publicId);
    expect(all).toContain(ws.generalId);
    expect(all).not.toContain(privateId); // private and the bot is not in it
    expect(new Set(all).size).toBe(all.length);

    const created = await botClient.conversations.create({ name: uniq("发布") });
    expect(created.channel).toMatchObject({ is_channel: true, is_member: true, creator: bot.userId });
    expect(await slackError(botClient.conversations.create({ name: created.channel!.name! }))).toBe("name_taken");
    expect(await slackError(botClient.conversations.create({ name: "Has Spaces" }))).toBe("invalid_name_specials");

    const dm = await botClient.conversations.open({ users: member.id });
    const again = await botClient.conversations.open({ users: member.id });
    expect(again.channel!.id).toBe(dm.channel!.id);
    await botClient.chat.postMessage({ channel: dm.channel!.id!, text: "你好" });
    const info = await botClient.conversations.info({ channel: dm.channel!.id! });
    expect(info.channel).toMatchObject({ is_im: true, user: member.id });

    const members = await botClient.conversations.members({ channel: publicId });
    expect(members.members).toContain(bot.userId);
  });

  it("lists users with cursors, looks them up by id and email", async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await botClient.users.list({ limit: 2, cursor });
      ids.push(...page.members!.map((m) => m.id!));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(ids).toEqual(expect.arrayContaining([owner.id, member.id, bot.userId]));
    const info = await botClient.users.info({ user: member.id });
    expect(info.user).toMatchObject({ id: member.id, real_name: "Mei 美", is_bot: false, profile: { email: member.email } });
    const botInfo = await botClient.users.info({ user: bot.userId });
    expect(botInfo.user).toMatchObject({ is_bot: true, profile: { bot_id: bot.botId } });
    expect((await botClient.users.lookupByEmail({ email: member.email })).user!.id).toBe(member.id);
    expect(await slackError(botClient.users.lookupByEmail({ email: "nobody@example.test" }))).toBe("users_not_found");
    expect(await slackError(botClient.users.info({ user: "Unope" }))).toBe("user_not_found");
  });

  it("a personal token acts with exactly that person's rights, in that workspace only", async () => {
    // People read public channels without joining; not private ones they are not in.
    expect((await userClient.conversations.history({ channel: publicId })).ok).toBe(true);
    expect(await slackError(userClient.conversations.history({ channel: privateId }))).toBe("channel_not_found");
    // A channel of another workspace the person is in is not visible through this token.
    const other = await createWorkspace(member);
    expect(await slackError(userClient.conversations.info({ channel: other.generalId }))).toBe("channel_not_found");
    const posted = await userClient.chat.postMessage({ channel: ws.generalId, text: "from my script" });
    expect(posted.message).toMatchObject({ user: member.id });
    expect(posted.message!.bot_id).toBeUndefined();
  });

  it("search.messages: Slack's shape, Chinese and English, highlights, pages and cursors, user tokens only", async () => {
    const w = uniq("sm").replace(/[^a-z0-9]/g, "");
    const ch = (await createChannel(ws, owner, { name: uniq("搜索-") })).id;
    const sent = [];
    for (let i = 1; i <= 5; i++) sent.push(await sendMessage({ actor: owner.actor, input: { channelId: ch, body: `${w} 第${i}条 项目进度 update <b>${i}</b>` } }));
    await sendMessage({ actor: owner.actor, input: { channelId: privateId, body: `${w} 私有频道 hidden` } });
    const res = await userClient.search.messages({ query: `${w} 项目`, sort: "timestamp", count: 2, highlight: true });
    const msgs = res.messages!;
    expect(msgs.total).toBe(5);
    expect(msgs.paging).toEqual({ count: 2, total: 5, page: 1, pages: 3 });
    expect(msgs.pagination).toMatchObject({ total_count: 5, page: 1, per_page: 2, page_count: 3, first: 1, last: 2 });
    const m = msgs.matches![0]!;
    expect(m).toMatchObject({ type: "message", iid: sent[4]!.id, user: owner.id, ts: sent[4]!.ts, channel: { id: ch, is_channel: true } });
    expect(m.text).toBe(`\uE000${w}\uE001 第5条 \uE000项目\uE001进度 update &lt;b&gt;5&lt;/b&gt;`);
    expect(m.permalink).toMatch(new RegExp(`/archives/${ch}/p\\d+$`));
    // Page numbers: no duplicates, no gaps; past the end is empty.
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const p = await userClient.search.messages({ query: `${w} 项目`, sort: "timestamp", sort_dir: "asc", count: 2, page });
      seen.push(...p.messages!.matches!.map((x) => x.ts!));
    }
    expect(seen).toEqual(sent.map((s) => s.ts));
    const beyond = await userClient.search.messages({ query: `${w} 项目`, count: 100, page: 11 });
    expect(beyond.messages).toMatchObject({ total: 5, matches: [], paging: { page: 11, pages: 1 } });
    // Cursors: * starts, next_cursor continues.
    const c1 = await userClient.search.messages({ query: `${w} update`, count: 3, cursor: "*" });
    expect(c1.messages!.matches).toHaveLength(3);
    const next = (c1 as { response_metadata?: { next_cursor?: string } }).response_metadata!.next_cursor!;
    const c2 = await userClient.search.messages({ query: `${w} update`, count: 3, cursor: next });
    expect(new Set([...c1.messages!.matches!, ...c2.messages!.matches!].map((x) => x.iid)).size).toBe(5);
    // A private channel the person is not in never shows; bots are refused; a token without the scope too.
    expect((await userClient.search.messages({ query: `${w} 私有频道` })).messages!.total).toBe(0);
    expect(await slackError(botClient.search.messages({ query: w }))).toBe("not_allowed_token_type");
    const narrow = await issueToken({ workspaceId: ws.id, userId: member.id, kind: "USER", name: "narrow", scopes: ["channels:read"], createdById: member.id });
    expect(await slackError(client(narrow.token).search.messages({ query: w }))).toBe("missing_scope");
    expect(await slackError(userClient.search.messages({ query: " " }))).toBe("no_query");
    expect(await slackError(userClient.search.messages({ query: `${w} in:#no-such-${w}` }))).toBe("invalid_arguments");
  });

  it("rate-limits a token per method with HTTP 429 and Retry-After", async () => {
    const t = await issueToken({ workspaceId: ws.id, userId: member.id, kind: "USER", name: "flood", scopes: [...ALL_SCOPES], createdById: member.id });
    let limited: Response | undefined;
    for (let i = 0; i < 150 && !limited; i++) {
      const res = await fetch(`${base}/api/auth.test`, { method: "POST", headers: { authorization: `Bearer ${t.token}` } });
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited!.json()).toMatchObject({ ok: false, error: "ratelimited" });
    expect(await slackError(client(t.token).auth.test())).toBe("ratelimited");
  });

  it("audits every write with the token that made it", async () => {
    const rows = await getDb().auditLog.findMany({ where: { workspaceId: ws.id, action: "api.chat.postMessage", actorId: bot.userId } });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]!.tokenId).toBeTruthy();
    // A call that makes a conversation names it as the target: the id it answered with, never a raw argument.
    const created = await botClient.conversations.create({ name: uniq("audited"), channel: "C\u0000" } as never);
    const entry = await getDb().auditLog.findFirst({ where: { workspaceId: ws.id, action: "api.conversations.create", targetId: created.channel!.id! } });
    expect(entry).toMatchObject({ targetType: "channel", tokenId: expect.any(String) });
  });
});

describe("incoming webhooks", () => {
  let url: string;
  beforeAll(async () => {
    const created = await createWebhookIn(ws.id, owner.id, { channelId: publicId, name: "Alerts" });
    url = created.url.replace(/^https?:\/\/[^/]+/, base);
  });

  it("posts JSON and form payloads with attachments, username and icon", async () => {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "CPU high 🔥 服务器", username: "Grafana", icon_url: "https://example.com/g.png", attachments: [{ color: "danger", title: "web-1", fields: [{ title: "CPU", value: "97%", short: true }] }] }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    const form = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ payload: JSON.stringify({ text: "from form" }) }).toString() });
    expect(await form.text()).toBe("ok");
    const last = (await listMessages({ actor: member.actor, input: { channelId: publicId } })).messages.slice(-2);
    expect(last.map((m) => m.body)).toEqual(["CPU high 🔥 服务器", "from form"]);
    expect(last[0]).toMatchObject({ overrideName: "Grafana", overrideIcon: "https://example.com/g.png", markup: "mrkdwn", sender: { isBot: true } });
  });

  it("refuses a wrong secret with 404 and bad payloads with 400, posting nothing", async () => {
    const before = await getDb().message.count({ where: { channelId: publicId } });
    const wrong = await fetch(url.replace(/\/[^/]+$/, "/wrong-secret"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "x" }) });
    expect(wrong.status).toBe(404);
    const malformed = await fetch(url.replace(/\/[^/]+$/, "/%E0%A4%A"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "x" }) });
    expect(malformed.status).toBe(404);
    const bad = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{oops" });
    expect([bad.status, await bad.text()]).toEqual([400, "invalid_payload"]);
    const empty = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "" }) });
    expect([empty.status, await empty.text()]).toEqual([400, "no_text"]);
    const nul = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "a\u0000b" }) });
    expect([nul.status, await nul.text()]).toEqual([400, "invalid_payload"]);
    expect(await getDb().message.count({ where: { channelId: publicId } })).toBe(before);
  });
});
