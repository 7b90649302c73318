/**
 * Group commit: concurrent sends share transactions yet keep every promise of the one-by-one path —
 * gap-free seqs, increasing ts, one message per clientMsgId, read positions, and each refusal exactly
 * as the ordinary path gives it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { joinChannel, updateChannel } from "@/lib/channels/service";
import { ensureDbReady, getDb, getDbInfo, HOT_CONNECTION_OPTIONS, runHotQuery } from "@/lib/db";
import { groupCommitStats } from "@/lib/messages/group-commit";
import { pinMessage } from "@/lib/messages/pins";
import { addReaction } from "@/lib/messages/reactions";
import {
  findMessageById,
  listEventsAfter,
  listHistory,
  listHistoryAfter,
  listReplies,
  messageBatchStatement,
  messageSelect,
  SHOWN_IN_CHANNEL,
  toMessage,
  writeMessageBatch,
} from "@/lib/messages/repository";
import { createBotIn } from "@/lib/integrations/bots";
import { deleteMessage, editMessage, listMessages, sendMessage } from "@/lib/messages/service";
import { createChannel, createMember, createUser, createWorkspace, expectAppError, resetSendLimit, uniq } from "@/tests/factories";

beforeAll(async () => {
  await ensureDbReady();
});

describe("group commit", () => {
  it("writes concurrent sends in shared batches with gap-free seqs and increasing ts per channel", async () => {
    const ws = await createWorkspace();
    const people = [ws.owner, ...(await Promise.all([1, 2, 3, 4].map(() => createMember(ws))))];
    const channels = await Promise.all([1, 2, 3].map(() => createChannel(ws, ws.owner, { memberIds: people.slice(1).map((p) => p.id) })));
    const before = groupCommitStats();
    const sends = [];
    for (let i = 0; i < 60; i++) {
      const who = people[i % people.length]!;
      const ch = channels[i % channels.length]!;
      sends.push(sendMessage({ actor: who.actor, input: { channelId: ch.id, body: `m${i} 消息`, clientMsgId: `gc-${uniq()}` } }));
    }
    const sent = await Promise.all(sends);
    const after = groupCommitStats();
    expect(after.messages - before.messages).toBe(60);
    expect(after.batches - before.batches).toBeLessThan(60); // they really shared transactions

    for (const ch of channels) {
      const rows = await getDb().message.findMany({ where: { channelId: ch.id }, orderBy: { seq: "asc" }, select: { seq: true, ts: true, id: true } });
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.ts > rows[i - 1]!.ts).toBe(true);
      // The change log holds each message once, as created at its seq (lib/messages/repository.ts listEventsAfter).
      const changes = await listEventsAfter(ch.id, 0, 100);
      expect(changes.map((e) => [e.seq, e.type, e.messageId])).toEqual(rows.map((r) => [r.seq, "message.created", r.id]));
      // …without a second row per message: ChannelEvent is only for later changes.
      expect(await getDb().channelEvent.count({ where: { channelId: ch.id } })).toBe(0);
      const channel = await getDb().channel.findUniqueOrThrow({ where: { id: ch.id } });
      expect(channel.lastSeq).toBe(20);
      expect(channel.lastTs).toBe(rows.at(-1)!.ts);
    }
    // Each sender has read up to their own newest message in each channel.
    for (const p of people) {
      for (const ch of channels) {
        const mine = sent.filter((m) => m.sender.id === p.id && m.channelId === ch.id);
        if (!mine.length) continue;
        const member = await getDb().channelMember.findUniqueOrThrow({ where: { channelId_userId: { channelId: ch.id, userId: p.id } } });
        expect(member.lastReadSeq).toBeGreaterThanOrEqual(Math.max(...mine.map((m) => m.seq)));
      }
    }
  });

  it("does not spread a trickle over several batches while one is being written", async () => {
    const ws = await createWorkspace();
    const channels = await Promise.all([1, 2, 3, 4].map(() => createChannel(ws, ws.owner)));
    const before = groupCommitStats();
    // The first send starts a batch at once; the next three arrive while it is being written.
    const first = sendMessage({ actor: ws.owner.actor, input: { channelId: channels[0]!.id, body: "first" } });
    await new Promise((resolve) => setImmediate(resolve));
    const rest = channels.slice(1).map((ch, i) => sendMessage({ actor: ws.owner.actor, input: { channelId: ch.id, body: `next ${i}` } }));
    await Promise.all([first, ...rest]);
    const after = groupCommitStats();
    expect(after.messages - before.messages).toBe(4);
    // One batch for the first, one shared by the three that waited (not one each).
    expect(after.batches - before.batches).toBe(2);
  });

  it("stores one message for a clientMsgId sent twice in the same batch, and replays it afterwards", async () => {
    const ws = await createWorkspace();
    const id = `dup-${uniq()}`;
    const [a, b] = await Promise.all([
      sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body: "once", clientMsgId: id } }),
      sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body: "once", clientMsgId: id } }),
    ]);
    expect(a.id).toBe(b.id);
    const again = await sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body: "once", clientMsgId: id } });
    expect(again.id).toBe(a.id);
    expect(await getDb().message.count({ where: { channelId: ws.generalId, clientMsgId: id } })).toBe(1);
    const other = await createChannel(ws, ws.owner);
    await expectAppError(sendMessage({ actor: ws.owner.actor, input: { channelId: other.id, body: "x", clientMsgId: id } }), "conflict");
  });

  it("refuses, inside a shared batch, exactly what the one-by-one path refuses", async () => {
    const ws = await createWorkspace();
    const member = await createMember(ws);
    const guest = await createMember(ws, "GUEST");
    const outsider = await createUser();
    const priv = await createChannel(ws, ws.owner, { kind: "PRIVATE" });
    const announce = await createChannel(ws, ws.owner, { kind: "ANNOUNCEMENT", memberIds: [member.id] });
    const archived = await createChannel(ws, ws.owner, { memberIds: [member.id] });
    await updateChannel({ actor: ws.owner.actor, channelId: archived.id, input: { archived: true } });
    const otherWs = await createWorkspace(member);
    await resetSendLimit(member);
    const results = await Promise.allSettled([
      sendMessage({ actor: member.actor, input: { channelId: ws.generalId, body: "ok 1" } }),
      sendMessage({ actor: member.actor, input: { channelId: priv.id, body: "not a member" } }),
      sendMessage({ actor: guest.actor, input: { channelId: ws.generalId, body: "guest not in general" } }),
      sendMessage({ actor: outsider.actor, input: { channelId: ws.generalId, body: "outsider" } }),
      sendMessage({ actor: member.actor, input: { channelId: announce.id, body: "not a poster" } }),
      sendMessage({ actor: member.actor, input: { channelId: archived.id, body: "archived" } }),
      sendMessage({ actor: { ...member.actor, workspaceId: otherWs.id }, input: { channelId: ws.generalId, body: "token of another workspace" } }),
      sendMessage({ actor: ws.owner.actor, input: { channelId: announce.id, body: "ok 2" } }),
    ]);
    const codes = results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as { code: string }).code));
    expect(codes).toEqual(["ok", "not_found", "not_found", "not_found", "forbidden", "forbidden", "not_found", "ok"]);
    expect(await getDb().message.count({ where: { channelId: { in: [priv.id, archived.id] } } })).toBe(0);
  });

  it("never stores a message for a channel or a sender that does not exist (the checks the foreign keys used to repeat)", async () => {
    const ws = await createWorkspace();
    const member = await createMember(ws);
    const row = (channelId: string, senderId: string) => ({
      id: `gcfk${uniq()}`, channelId, senderId, workspaceScope: null, clientMsgId: null, body: "integrity",
      markup: "md", blocks: null, attachments: null, overrideName: null, overrideIcon: null, subtype: null,
    });
    const rows = [row(`nochannel${uniq()}`, member.id), row(ws.generalId, `nobody${uniq()}`), row(ws.generalId, member.id)];
    const outcomes = await writeMessageBatch(rows);
    expect(outcomes.map((o) => o.written)).toEqual([false, false, true]);
    expect(await getDb().message.count({ where: { id: { in: rows.map((r) => r.id) } } })).toBe(1);
    // Through the service, both are refused with a clear error and nothing is stored.
    const ghost = { userId: `nobody${uniq()}` };
    await expectAppError(sendMessage({ actor: ghost, input: { channelId: ws.generalId, body: "from nobody" } }), "not_found");
    await expectAppError(sendMessage({ actor: member.actor, input: { channelId: `nochannel${uniq()}`, body: "to nowhere" } }), "not_found");
    expect(await getDb().message.count({ where: { OR: [{ senderId: ghost.userId }, { body: "to nowhere" }] } })).toBe(0);
  });

  it("acknowledges each message exactly as history then serves it, and keeps each sender's order", async () => {
    const ws = await createWorkspace();
    const member = await createMember(ws);
    const { bot } = await createBotIn(ws.id, ws.owner.id, { name: `Deploy ${uniq()}` });
    await joinChannel({ actor: { userId: bot.userId }, channelId: ws.generalId });
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*发布* done" } }];
    const attachments = [{ color: "#36a64f", text: "build 42" }];
    const sends = [
      ...Array.from({ length: 12 }, (_, i) => sendMessage({ actor: member.actor, input: { channelId: ws.generalId, body: `order ${i} 顺序`, clientMsgId: `ord-${uniq()}` } })),
      sendMessage({ actor: { userId: bot.userId }, input: { channelId: ws.generalId, body: "deployed" }, extras: { markup: "mrkdwn", blocks, attachments, overrideName: "CI", overrideIcon: ":rocket:" } }),
    ];
    const acked = await Promise.all(sends);
    const page = await listMessages({ actor: ws.owner.actor, input: { channelId: ws.generalId, limit: 50 } });
    for (const m of acked) expect(page.messages.find((h) => h.id === m.id)).toEqual(m);
    const mine = acked.slice(0, 12).map((m) => m.seq);
    expect(mine).toEqual([...mine].sort((a, b) => a - b)); // arrival order is conversation order
    expect(acked[12]!.sender).toMatchObject({ id: bot.userId, isBot: true, botId: bot.id });
  });

  it("serves history, single messages and thread replies in one statement exactly as Prisma reads them, every field included", async () => {
    const ws = await createWorkspace();
    const [bob, carol] = await Promise.all([createMember(ws), createMember(ws)]);
    const { bot } = await createBotIn(ws.id, ws.owner.id, { name: `Deploy ${uniq()}` });
    await joinChannel({ actor: { userId: bot.userId }, channelId: ws.generalId });
    const channelId = ws.generalId;
    const root = await sendMessage({ actor: ws.owner.actor, input: { channelId, body: "根 root", clientMsgId: `eq-${uniq()}` } });
    const fromBot = await sendMessage({
      actor: { userId: bot.userId },
      input: { channelId, body: "deployed" },
      extras: { markup: "mrkdwn", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*发布*" } }], attachments: [{ color: "#36a64f", text: "build 42" }], overrideName: "CI", overrideIcon: ":rocket:" },
    });
    await sendMessage({ actor: bob.actor, input: { channelId, body: "broadcast reply 广播", threadRootId: root.id, broadcast: true } });
    await sendMessage({ actor: bob.actor, input: { channelId, body: "thread only", threadRootId: root.id } });
    const edited = await sendMessage({ actor: carol.actor, input: { channelId, body: "before edit" } });
    await editMessage({ actor: carol.actor, input: { messageId: edited.id, body: "after edit 编辑" } });
    const gone = await sendMessage({ actor: carol.actor, input: { channelId, body: "deleted" } });
    await deleteMessage({ actor: carol.actor, input: { messageId: gone.id } });
    for (const [who, emoji] of [[carol, "tada"], [bob, "+1"], [ws.owner, "tada"], [bob, "tada"]] as const) await addReaction({ actor: who.actor, input: { messageId: fromBot.id, emoji } });
    await pinMessage({ actor: ws.owner.actor, input: { messageId: root.id } });

    const viaPrisma = (where: object, order: "asc" | "desc") =>
      getDb().message.findMany({ where: { channelId, ...SHOWN_IN_CHANNEL, ...where }, select: messageSelect, orderBy: { seq: order }, take: 50 });
    expect((await listHistory(channelId, undefined, 50)).map(toMessage)).toEqual((await viaPrisma({}, "desc")).map(toMessage));
    expect((await listHistory(channelId, edited.seq, 50)).map(toMessage)).toEqual((await viaPrisma({ seq: { lt: edited.seq } }, "desc")).map(toMessage));
    expect((await listHistoryAfter(channelId, root.seq, 50)).map(toMessage)).toEqual((await viaPrisma({ seq: { gt: root.seq } }, "asc")).map(toMessage));
    // The page holds what it should: the root (pinned, its reply count), the bot's message with its
    // reactions in the order given, the broadcast reply with its thread ts; not the thread-only reply or the deleted one.
    const page = (await listHistory(channelId, undefined, 50)).map(toMessage);
    expect(page.map((m) => m.body)).not.toContain("thread only");
    expect(page.map((m) => m.id)).not.toContain(gone.id);
    expect(page.find((m) => m.id === fromBot.id)!.reactions).toEqual([
      { emoji: "tada", count: 3, userIds: [carol.id, ws.owner.id, bob.id] },
      { emoji: "+1", count: 1, userIds: [bob.id] },
    ]);
    expect(page.find((m) => m.id === root.id)).toMatchObject({ replyCount: 2, pinnedById: ws.owner.id });
    expect(page.find((m) => m.body === "broadcast reply 广播")).toMatchObject({ threadRootId: root.id, threadTs: root.ts, broadcast: true });

    // The same statement serves one message by id (deleted ones too) and a thread's replies.
    const deletedReply = await sendMessage({ actor: carol.actor, input: { channelId, body: "回复 then deleted", threadRootId: root.id } });
    await deleteMessage({ actor: carol.actor, input: { messageId: deletedReply.id } });
    const lastReply = await sendMessage({ actor: ws.owner.actor, input: { channelId, body: "last reply", threadRootId: root.id } });
    for (const id of [root.id, fromBot.id, edited.id, gone.id, deletedReply.id, lastReply.id]) {
      const viaPrismaOne = await getDb().message.findUniqueOrThrow({ where: { id }, select: messageSelect });
      expect(toMessage((await findMessageById(id))!)).toEqual(toMessage(viaPrismaOne));
    }
    expect(await findMessageById("no-such-message")).toBeNull();
    const repliesViaPrisma = (after: number) =>
      getDb().message.findMany({ where: { threadRootId: root.id, deletedAt: null, seq: { gt: after } }, select: messageSelect, orderBy: { seq: "asc" }, take: 2 });
    for (const after of [0, root.seq, lastReply.seq]) {
      expect((await listReplies(root.id, after, 2)).map(toMessage)).toEqual((await repliesViaPrisma(after)).map(toMessage));
    }
    expect((await listReplies(root.id, 0, 50)).map((m) => m.body)).toEqual(["broadcast reply 广播", "thread only", "last reply"]);
  });

  it("indexes every message for search exactly as the database's own function would, on every write path", async () => {
    const ws = await createWorkspace();
    const texts = ["项目进度 Project STATUS", "ÀÉÎ café déjà-vu ＡＢＣ１２３", "API接口文档 v2", "", "x".repeat(100) + " 长长长长长长长长"];
    const batched = await Promise.all(texts.filter(Boolean).map((body) => sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body } })));
    const reply = await sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body: "线程回复 reply", threadRootId: batched[0]!.id } });
    await editMessage({ actor: ws.owner.actor, input: { messageId: batched[1]!.id, body: "编辑以后 edited NOW" } });
    await deleteMessage({ actor: ws.owner.actor, input: { messageId: batched[2]!.id } });
    const rows = await getDb().$queryRaw<{ id: string; stored: string; expected: string }[]>`
      SELECT id, "searchVector"::text AS stored, parley_search_vector(body)::text AS expected FROM "Message" WHERE "channelId" = ${ws.generalId}`;
    expect(rows.map((r) => r.id).sort()).toEqual([...batched.map((m) => m.id), reply.id].sort());
    for (const r of rows) expect(r.stored).toBe(r.expected);
    expect(rows.find((r) => r.id === batched[1]!.id)!.stored).toContain("'edited'");
    expect(rows.find((r) => r.id === batched[2]!.id)!.stored).toBe("");
  });

  it.skipIf(getDbInfo().kind !== "postgres")("runs the batch on PostgreSQL's generic plan, never re-planning it for each small batch", async () => {
    const ws = await createWorkspace();
    // One at a time, as on a quiet server: every batch holds one message.
    for (let i = 0; i < 8; i++) await sendMessage({ actor: ws.owner.actor, input: { channelId: ws.generalId, body: `quiet ${i}` } });
    // Prepared statements belong to a connection: ask every connection of the hot statements' pool
    // (more probes at once than it has connections, so each one answers at least once).
    const probes = await Promise.all(
      Array.from({ length: 12 }, () =>
        runHotQuery<{ pid: number; generic: number; custom: number }>(
          "plans_probe",
          `SELECT pg_backend_pid() AS pid, coalesce(sum(generic_plans), 0)::int AS generic, coalesce(sum(custom_plans), 0)::int AS custom
           FROM pg_prepared_statements WHERE name LIKE 'message_batch%'`,
          [],
        ),
      ),
    );
    const byConnection = new Map(probes.map(([p]) => [p!.pid, p!]));
    const total = (k: "generic" | "custom") => [...byConnection.values()].reduce((sum, p) => sum + p[k], 0);
    expect(total("generic")).toBeGreaterThanOrEqual(8);
    // Left to choose, PostgreSQL makes a custom plan for at least the first five runs on each connection.
    expect(total("custom")).toBe(0);
  });

  // The plan a hot connection keeps for its life is made from the statistics of its first batch: on
  // a fresh install the tables are empty, on a young one they hold a few rows. Either way, as the
  // tables grow, every read must stay a lookup by key. Copies of the tables stand in for both.
  it.skipIf(getDbInfo().kind !== "postgres").each([
    ["empty tables (a fresh install)", 0],
    ["a few analysed rows (a young install)", 20],
  ] as const)("keeps the batch's plan to index lookups when it was made on %s", async (_label, rows) => {
    const schema = `plan_probe_${randomBytes(4).toString("hex")}`;
    const tables = ["Channel", "WorkspaceMember", "ChannelMember", "Message", "User", "Bot"];
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: HOT_CONNECTION_OPTIONS });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      for (const t of tables) await client.query(`CREATE TABLE ${schema}."${t}" (LIKE public."${t}" INCLUDING ALL)`);
      await client.query(`SET search_path TO ${schema}, public`);
      if (rows) {
        await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") SELECT 'u' || g, g || '@probe.test', 'U' || g, '!', now() FROM generate_series(1, $1::int) g`, [rows]);
        await client.query(`INSERT INTO "Channel" (id, "workspaceId", kind, name, "updatedAt") SELECT 'c' || g, 'w1', 'PUBLIC', 'c' || g, now() FROM generate_series(1, $1::int) g`, [rows]);
        await client.query(`INSERT INTO "WorkspaceMember" (id, "workspaceId", "userId", "updatedAt") SELECT 'wm' || g, 'w1', 'u' || g, now() FROM generate_series(1, $1::int) g`, [rows]);
        await client.query(`INSERT INTO "ChannelMember" (id, "channelId", "userId") SELECT 'cm' || c || '_' || u, 'c' || c, 'u' || u FROM generate_series(1, $1::int) c, generate_series(1, 2) u`, [rows]);
        await client.query(
          `INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "updatedAt") SELECT 'm' || c || '_' || g, 'c' || c, g, g, 'u1', 'hello', now() FROM generate_series(1, $1::int) c, generate_series(1, 5) g`,
          [rows],
        );
        for (const t of tables) await client.query(`ANALYZE "${t}"`);
      }
      const row = { id: "m1", channelId: "c1", senderId: "u1", workspaceScope: null, clientMsgId: "k1", body: "hello 你好", markup: "md", blocks: null, attachments: null, overrideName: null, overrideIcon: null, subtype: null };
      const statement = messageBatchStatement([row]);
      await client.query(`PREPARE probe AS ${statement.text}`);
      const literal = (v: unknown) => (Array.isArray(v) ? `ARRAY[${v.map((x) => client.escapeLiteral(String(x))).join(",")}]::text[]` : client.escapeLiteral(String(v)));
      const explained = await client.query<{ "QUERY PLAN": [{ Plan: TPlanNode }] }>(`EXPLAIN (FORMAT JSON) EXECUTE probe(${statement.values.map(literal).join(", ")})`);
      const reads: string[] = [];
      const walk = (n: TPlanNode) => {
        if (n["Relation Name"] && tables.includes(n["Relation Name"]) && n["Node Type"] !== "ModifyTable") reads.push(`${n["Node Type"]} ${n["Relation Name"]}${n["Index Cond"] || n["Recheck Cond"] ? " by key" : ""}`);
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(explained.rows[0]!["QUERY PLAN"][0].Plan);
      expect(reads.length).toBeGreaterThanOrEqual(tables.length);
      // Every read of a table is an index lookup by key: no sequential scan, no whole-index scan.
      expect(reads.filter((r) => !r.endsWith(" by key"))).toEqual([]);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
      await client.end();
    }
  });
});

/** A node of EXPLAIN (FORMAT JSON); a bitmap heap scan carries its key as "Recheck Cond". */
type TPlanNode = { "Node Type": string; "Relation Name"?: string; "Index Cond"?: string; "Recheck Cond"?: string; Plans?: TPlanNode[] };
