/** Message search (lib/search): tokenizer twin vs SQL, Chinese and English, phrases, modifiers, permissions, pages. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { addChannelMembers, openDm, removeChannelMember, updateChannel } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { deleteMessage, editMessage, sendMessage } from "@/lib/messages/service";
import { reset } from "@/lib/rate-limit";
import { findHighlights, makeSnippet, withSlackMarkers } from "@/lib/search/highlight";
import { buildMatcher, buildTsquery, parseQuery } from "@/lib/search/query";
import { searchMessages } from "@/lib/search/service";
import type { TSearchInput } from "@/lib/search/schema";
import { buildSearchVectorFunctionSql, FOLD, tokenize, toTsvectorText } from "@/lib/search/tokenize";
import { addMember, createChannel, createMember, createUser, createWorkspace, expectAppError, resetSendLimit, uniq, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let alice: TTestUser;
let bob: TTestUser;
let carol: TTestUser;
let guest: TTestUser;
let word: string; // a word unique to this run, so files sharing a PostgreSQL database never see each other's hits

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  [alice, bob, carol] = await Promise.all([createMember(ws, "MEMBER", "Alice Zhang"), createMember(ws, "MEMBER", "Bob 李"), createMember(ws, "MEMBER", "Carol")]);
  guest = await createMember(ws, "GUEST", "Gina Guest");
  word = uniq("w").replace(/[^a-z0-9]/g, "");
});

beforeEach(async () => {
  await Promise.all([alice, bob, carol, guest, ws.owner].map(async (u) => {
    await resetSendLimit(u);
    await reset("search", u.id);
  }));
});

function search(u: TTestUser, query: string, extra: Partial<TSearchInput> = {}) {
  return searchMessages(u.actor, { workspaceId: ws.id, query, ...extra });
}

function send(u: TTestUser, channelId: string, body: string, threadRootId?: string) {
  return sendMessage({ actor: u.actor, input: { channelId, body, ...(threadRootId ? { threadRootId } : {}) } });
}

const CORPUS = [
  "今天下午三点开会讨论项目进度",
  "Deploy the API接口 v2.0 to staging, ＡＢＣ１２３ Ünïcödé ΣΊΣΥΦΟΣ Привет",
  "我 love 你 — it's don't foo_bar e-mail@x.com https://example.com/a?b=c",
  "",
  "!!! ??? 。，、",
  "𠀀𠀁 rare Han, ラーメン 한국어 テスト",
  `${"x".repeat(100)} ${"長".repeat(3)}`,
  "Tiếng Việt có dấu ĐẠI HỌC",
  "Über Ärger ÀÉÎÕÜ Ǆ ẞ ΑΒΓ Ωmega Ա ＡＢＣａｂｃ０１２",
];

describe("tokenizer: the TypeScript twin agrees with the SQL function", () => {
  it("the newest migration defining parley_search_vector holds the SQL generated from lib/search/tokenize.ts", () => {
    const dir = path.join(process.cwd(), "prisma", "migrations");
    const folder = readdirSync(dir)
      .sort()
      .findLast((d) => d.includes("search") && readFileSync(path.join(dir, d, "migration.sql"), "utf8").includes("FUNCTION parley_search_vector"));
    expect(folder).toBeDefined();
    const sql = readFileSync(path.join(dir, folder!, "migration.sql"), "utf8");
    expect(sql).toContain(buildSearchVectorFunctionSql());
    expect(FOLD.from.length).toBe(FOLD.to.length);
  });

  it("produces the same tsvector in the database as in TypeScript", async () => {
    const generated = [
      ...CORPUS,
      Array.from({ length: 400 }, (_, i) => `词${i % 9} word${i % 5}`).join(" "),
      "ok ".repeat(300), // more than 256 positions of one lexeme (tsvector keeps 256)
      `${"a ".repeat(16_500)}tail 尾巴`, // positions past 16383 (clamped)
    ];
    for (const text of generated) {
      // The send path stores toTsvectorText cast to tsvector; everything else, the SQL function.
      const rows = await getDb().$queryRaw<{ v: string; fromTs: string }[]>`SELECT parley_search_vector(${text})::text AS v, ${toTsvectorText(text)}::tsvector::text AS "fromTs"`;
      expect(rows[0]!.v, text.slice(0, 40)).toBe(toTsvectorText(text));
      expect(rows[0]!.fromTs, text.slice(0, 40)).toBe(rows[0]!.v);
    }
  });

  it("splits Chinese into bigrams and keeps offsets for highlighting", () => {
    const toks = tokenize("开会讨论API接口");
    expect(toks.map((t) => t.text)).toEqual(["开会", "会讨", "讨论", "论", "api", "接口", "口"]);
    expect(toks.map((t) => t.pos)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(toks[4]).toMatchObject({ start: 4, end: 7 });
    expect(tokenize("Ｈｅｌｌｏ").map((t) => t.text)).toEqual(["hello"]);
  });

  it("builds phrases with the distances the index stores", () => {
    expect(buildTsquery(parseQuery("项目进度").terms).tsquery).toBe("('项目' <-> '目进' <-> '进度')");
    expect(buildTsquery(parseQuery('"进度 report"').terms).tsquery).toBe("('进度' <2> 'report')");
    expect(buildTsquery(parseQuery("会 deploy* -staging").terms).tsquery).toBe("'会':* & 'deploy':* & !'staging'");
    expect(buildTsquery(parseQuery("!!!").terms).tsquery).toBeNull();
  });

  it("reads Slack's query syntax, Chinese punctuation included", () => {
    const p = parseQuery('部署 -测试 “上线 计划” in：＃项目组 from:"Li Lei" from:@bob during:2026-11 has:LINK is:thread 12:30 deploy*');
    expect(p.terms).toEqual([
      { text: "部署", phrase: false, negated: false, prefix: false },
      { text: "测试", phrase: false, negated: true, prefix: false },
      { text: "上线 计划", phrase: true, negated: false, prefix: false },
      { text: "12:30", phrase: false, negated: false, prefix: false },
      { text: "deploy", phrase: false, negated: false, prefix: true },
    ]);
    expect(p).toMatchObject({ in: ["＃项目组"], from: ["Li Lei", "@bob"], during: "2026-11", has: ["link"], is: ["thread"] });
    expect(buildTsquery(parseQuery("12:30 e-mail").terms).tsquery).toBe("('12' <-> '30') & ('e' <-> 'mail')");
  });

  it("highlights matches as ranges, never markup", () => {
    const m = buildMatcher(parseQuery("项目 <b>").terms);
    const text = "讨论项目进度 <b>bold</b>";
    const h = findHighlights(text, m);
    expect(h.map(([a, b]) => text.slice(a, b))).toEqual(["项目", "b", "b"]);
    expect(withSlackMarkers("ab项目", [[2, 4]])).toBe("ab\uE000项目\uE001");
    const long = `${"前言".repeat(200)} 关键词 ${"后记".repeat(200)}`;
    const snip = makeSnippet(long, buildMatcher(parseQuery("关键词").terms));
    expect(snip.text.length).toBeLessThanOrEqual(285);
    expect(snip.highlights.map(([a, b]) => snip.text.slice(a, b))).toEqual(["关键词"]);
  });
});

describe("searchMessages", () => {
  let pub: string;
  let priv: string;

  beforeAll(async () => {
    pub = (await createChannel(ws, alice, { name: uniq("pub-"), kind: "PUBLIC", memberIds: [bob.id, guest.id] })).id;
    priv = (await createChannel(ws, alice, { name: uniq("priv-"), kind: "PRIVATE", memberIds: [bob.id] })).id;
  });

  it("finds Chinese words inside sentences without spaces, and English words in any case", async () => {
    const m1 = await send(alice, pub, `${word} 今天下午三点开会讨论项目进度`);
    const m2 = await send(bob, pub, `${word} Deploying the NEW release to Staging`);
    expect((await search(carol, `${word} 项目`)).matches.map((m) => m.id)).toEqual([m1.id]);
    expect((await search(carol, `${word} 开会讨论`)).matches.map((m) => m.id)).toEqual([m1.id]);
    expect((await search(carol, `${word} 会`)).matches.map((m) => m.id)).toEqual([m1.id]);
    expect((await search(carol, `${word} staging`)).matches.map((m) => m.id)).toEqual([m2.id]);
    expect((await search(carol, `${word} RELEASE`)).matches.map((m) => m.id)).toEqual([m2.id]);
    expect((await search(carol, `${word} deploy*`)).matches.map((m) => m.id)).toEqual([m2.id]);
    // A Chinese word is matched as adjacent characters, not scattered ones: 项进 never occurs.
    expect((await search(carol, `${word} 项进`)).matches).toEqual([]);
    // Words are ANDed.
    expect((await search(carol, `${word} 项目 staging`)).matches).toEqual([]);
    const both = await search(carol, word);
    expect(both.matches.map((m) => m.id)).toEqual([m2.id, m1.id]);
    expect(both.total).toBe(2);
    const hit = (await search(carol, `${word} 项目进度`)).matches[0]!;
    expect(hit.snippet.highlights.map(([a, b]) => hit.snippet.text.slice(a, b))).toEqual([word, "项目进度"]);
    expect(hit.channel).toMatchObject({ id: pub, kind: "PUBLIC" });
    expect(hit.sender).toMatchObject({ id: alice.id, name: "Alice Zhang" });
  });

  it("matches quoted phrases only in order and adjacent; excludes -words", async () => {
    const w = uniq("ph").replace(/[^a-z0-9]/g, "");
    const a = await send(alice, pub, `${w} the quick brown fox`);
    const b = await send(alice, pub, `${w} the brown quick fox`);
    expect((await search(bob, `${w} "quick brown"`)).matches.map((m) => m.id)).toEqual([a.id]);
    expect((await search(bob, `${w} “brown quick”`)).matches.map((m) => m.id)).toEqual([b.id]);
    expect((await search(bob, `${w} quick brown`)).matches.map((m) => m.id).sort()).toEqual([a.id, b.id].sort());
    expect((await search(bob, `${w} fox -"quick brown"`)).matches.map((m) => m.id)).toEqual([b.id]);
  });

  it("never finds deleted messages; finds edited ones by their new text only", async () => {
    const w = uniq("ed").replace(/[^a-z0-9]/g, "");
    const gone = await send(alice, pub, `${w} 将被删除 obsolete`);
    const edited = await send(alice, pub, `${w} 旧文本 oldtext`);
    await deleteMessage({ actor: alice.actor, input: { messageId: gone.id } });
    await editMessage({ actor: alice.actor, input: { messageId: edited.id, body: `${w} 新文本 newtext` } });
    expect((await search(bob, `${w} obsolete`)).matches).toEqual([]);
    expect((await search(bob, `${w} 删除`)).matches).toEqual([]);
    expect((await search(bob, `${w} oldtext`)).matches).toEqual([]);
    expect((await search(bob, `${w} 旧文本`)).matches).toEqual([]);
    const found = await search(bob, `${w} 新文本`);
    expect(found.matches.map((m) => m.id)).toEqual([edited.id]);
    expect(found.matches[0]!.editedAt).not.toBeNull();
  });

  it("shows private channels and DMs only to their members, and stops when a member is removed", async () => {
    const w = uniq("pv").replace(/[^a-z0-9]/g, "");
    await send(alice, priv, `${w} 机密 secret plan`);
    const dm = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id] } });
    await send(alice, dm.id, `${w} 私信 direct note`);
    expect((await search(bob, w)).matches).toHaveLength(2);
    expect((await search(carol, w)).matches).toEqual([]);
    expect((await search(carol, w)).total).toBe(0);
    expect((await search(guest, w)).matches).toEqual([]);
    // Someone outside the workspace gets 404, never results.
    const outsider = await createUser({ name: "Outsider" });
    await expectAppError(searchMessages(outsider.actor, { workspaceId: ws.id, query: w }), "not_found");
    // Removed from the private channel: its messages disappear from Bob's results at once.
    const p2 = (await createChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] })).id;
    await send(alice, p2, `${w} 仅成员 members only`);
    expect((await search(bob, `${w} members`)).matches).toHaveLength(1);
    await removeChannelMember({ actor: alice.actor, channelId: p2, userId: bob.id });
    expect((await search(bob, `${w} members`)).matches).toEqual([]);
    expect((await search(alice, `${w} members`)).matches).toHaveLength(1);
  });

  it("lets guests search only their channels; archived channels stay searchable by those who may read them", async () => {
    const w = uniq("gu").replace(/[^a-z0-9]/g, "");
    const other = (await createChannel(ws, alice, { kind: "PUBLIC" })).id;
    await send(alice, pub, `${w} guest can see 访客可见`);
    await send(alice, other, `${w} guest cannot see`);
    expect((await search(guest, w)).matches.map((m) => m.channelId)).toEqual([pub]);
    expect((await search(carol, w)).matches).toHaveLength(2); // public channels, member or not
    const arch = (await createChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] })).id;
    await send(alice, arch, `${w} archived history 归档`);
    await updateChannel({ actor: alice.actor, channelId: arch, input: { archived: true } });
    const hits = (await search(bob, `${w} 归档`)).matches;
    expect(hits.map((m) => m.channelId)).toEqual([arch]);
    expect(hits[0]!.channel.archived).toBe(true);
    expect((await search(carol, `${w} 归档`)).matches).toEqual([]);
  });

  it("takes in:, from:, dates, has: and is:thread, and returns thread replies with their root", async () => {
    const w = uniq("md").replace(/[^a-z0-9]/g, "");
    const chName = uniq("项目-");
    const ch = (await createChannel(ws, alice, { name: chName, kind: "PUBLIC", memberIds: [bob.id] })).id;
    const root = await send(alice, ch, `${w} 发布计划 release plan`);
    const reply = await send(bob, ch, `${w} 回复 see https://example.com/x`, root.id);
    await send(bob, pub, `${w} elsewhere 别处`);
    expect((await search(carol, `${w} in:#${chName}`)).matches.map((m) => m.id)).toEqual([reply.id, root.id]);
    expect((await search(carol, `${w} in：＃${chName}`)).matches).toHaveLength(2);
    expect((await search(carol, `${w} from:@bob李`)).matches).toHaveLength(2);
    expect((await search(bob, `${w} from:me in:#${chName}`)).matches.map((m) => m.id)).toEqual([reply.id]);
    expect((await search(carol, `${w} from:"Alice Zhang"`)).matches.map((m) => m.id)).toEqual([root.id]);
    // Filters alone (no words) are a search too.
    expect((await search(carol, `in:#${chName} from:@${alice.email}`)).matches.map((m) => m.id)).toEqual([root.id]);
    const withLink = (await search(carol, `${w} has:link`)).matches;
    expect(withLink.map((m) => m.id)).toEqual([reply.id]);
    expect(withLink[0]).toMatchObject({ threadRootId: root.id, threadTs: root.ts });
    expect((await search(carol, `${w} is:thread`)).matches.map((m) => m.id)).toEqual([reply.id, root.id]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await search(carol, `${w} on:${today}`)).matches).toHaveLength(3);
    expect((await search(carol, `${w} before:${today}`)).matches).toEqual([]);
    expect((await search(carol, `${w} after:2000-01-01`)).matches).toHaveLength(3);
    // in:@person is the DM with them.
    const dm = await openDm({ actor: carol.actor, slug: ws.slug, input: { userIds: [alice.id] } });
    const dmMsg = await send(alice, dm.id, `${w} 只在私信 dm only`);
    const inDm = await search(carol, `${w} in:@${alice.email}`);
    expect(inDm.matches.map((m) => m.id)).toEqual([dmMsg.id]);
    expect(inDm.matches[0]!.channel.dmMembers).toEqual([{ id: alice.id, name: "Alice Zhang" }]);
  });

  it("pages by keyset without duplicates or gaps, newest, oldest and by relevance", async () => {
    const w = uniq("pg").replace(/[^a-z0-9]/g, "");
    const ch = (await createChannel(ws, alice, { kind: "PUBLIC" })).id;
    const sent: string[] = [];
    for (let i = 0; i < 23; i++) sent.push((await send(alice, ch, `${w} 分页 ${i % 3 === 0 ? `${w} ${w}` : "filler"} item ${i}`)).id);
    for (const sort of ["newest", "oldest", "relevance"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await search(bob, `${w} 分页`, { sort, limit: 5, cursor, withTotal: pages === 0 });
        if (pages === 0) expect(page.total).toBe(23);
        seen.push(...page.matches.map((m) => m.id));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);
      expect(new Set(seen).size, sort).toBe(23);
      expect(seen.length, sort).toBe(23);
      if (sort === "newest") expect(seen).toEqual([...sent].reverse());
      if (sort === "oldest") expect(seen).toEqual(sent);
    }
    const ranked = await search(bob, `${w} 分页`, { sort: "relevance", limit: 23 });
    const scores = ranked.matches.map((m) => m.score!);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    await expectAppError(search(bob, `${w}`, { cursor: "not-a-cursor" }), "validation_failed", /cursor/);
  });

  it("refuses bad input with clear errors", async () => {
    await expectAppError(search(alice, "   "), "validation_failed", /search for/);
    await expectAppError(search(alice, "x".repeat(501)), "validation_failed", /at most 500/);
    await expectAppError(search(alice, "!!! 。。"), "validation_failed", /word/);
    await expectAppError(search(alice, "-only"), "validation_failed", /word/);
    const e = await expectAppError(search(alice, "hello in:#no-such-channel"), "validation_failed", /#no-such-channel/);
    expect(e.details).toEqual([expect.objectContaining({ reason: "channel_not_found" })]);
    await expectAppError(search(alice, "hello from:@nobody-here"), "validation_failed", /nobody-here/);
    await expectAppError(search(alice, "hello before:2026-13-45"), "validation_failed", /date/);
    await expectAppError(search(alice, "hello has:cats"), "validation_failed", /has:/);
    // A private channel you are not in is "no channel you can see", the same as one that does not exist.
    const secret = await createChannel(ws, alice, { name: uniq("hidden-"), kind: "PRIVATE" });
    await expectAppError(search(carol, `hello in:#${secret.name}`), "validation_failed", /that you can see/);
  });

  it("a member added later finds the channel's history at once; a deactivated member finds nothing", async () => {
    const w = uniq("ad").replace(/[^a-z0-9]/g, "");
    const ch = (await createChannel(ws, alice, { kind: "PRIVATE" })).id;
    await send(alice, ch, `${w} before you joined 加入前`);
    expect((await search(carol, w)).matches).toEqual([]);
    await addChannelMembers({ actor: alice.actor, channelId: ch, input: { userIds: [carol.id] } });
    expect((await search(carol, w)).matches).toHaveLength(1);
    const dave = await addMember(ws, await createUser({ name: "Dave" }));
    await getDb().workspaceMember.updateMany({ where: { workspaceId: ws.id, userId: dave.id }, data: { status: "DEACTIVATED" } });
    await expectAppError(search(dave, w), "forbidden");
  });
});
