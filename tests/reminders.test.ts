/**
 * /remind: the grammar (English and Chinese, exact times from a fixed clock and offset, refusals with
 * the usage hint), and delivery by the scheduler — a DM from the workspace's Parley bot, exactly one
 * message even when passes run concurrently or a claimed reminder is retried after a crash.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { listMyChannels } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { listMessages } from "@/lib/messages/service";
import { parseRemind, REMIND_USAGE } from "@/lib/reminders/parse";
import * as repo from "@/lib/reminders/repository";
import { startReminderScheduler } from "@/lib/reminders/scheduler";
import { createReminder, deliverDueReminders, ensureParleyBot } from "@/lib/reminders/service";
import { verifyCredentials } from "@/lib/users/service";
import { eventually } from "@/tests/realtime-client";
import { createMember, createWorkspace, expectAppError, type TTestUser, type TTestWorkspace } from "@/tests/factories";

const NOW = new Date("2026-11-25T20:00:00.000Z");
const MIN = 60_000;

describe("parseRemind", () => {
  const at = (text: string, tzOffsetMinutes = 0) => parseRemind(text, { now: NOW, tzOffsetMinutes });

  it.each([
    ["me stand-up in 10 minutes", "stand-up", 10 * MIN],
    ["me stand-up in 1 minute", "stand-up", MIN],
    ["me to call Li in 2 hours", "call Li", 120 * MIN],
    ["me pay rent in 3 days", "pay rent", 3 * 24 * 60 * MIN],
    ["me review in 5 m", "review", 5 * MIN],
    ["me 喝水 in 10 minutes", "喝水", 10 * MIN],
    ["me 喝水 10分钟后", "喝水", 10 * MIN],
    ["我 开会 2小时后", "开会", 120 * MIN],
    ["me 喝水 in 10 分钟", "喝水", 10 * MIN],
    ["me in 15 minutes check the oven", "check the oven", 15 * MIN],
    ["  me   stretch   in 20 mins ", "stretch", 20 * MIN],
  ])("%s", (text, what, delta) => {
    const r = at(text);
    expect(r).toEqual({ ok: true, what, dueAt: new Date(NOW.getTime() + delta) });
  });

  it("at HH:MM is the next time the clock shows it, in the person's offset", () => {
    // 20:00 UTC is 04:00 next day in Beijing (offset -480): 09:30 Beijing is 01:30 UTC on the 26th.
    expect(at("me 开会 at 09:30", -480)).toEqual({ ok: true, what: "开会", dueAt: new Date("2026-11-26T01:30:00.000Z") });
    // Already past today in UTC → tomorrow.
    expect(at("me lunch at 12:00")).toEqual({ ok: true, what: "lunch", dueAt: new Date("2026-11-26T12:00:00.000Z") });
    expect(at("me late call at 21:15")).toEqual({ ok: true, what: "late call", dueAt: new Date("2026-11-25T21:15:00.000Z") });
  });

  it("tomorrow is 09:00 unless a time is given; 明天 works too", () => {
    expect(at("me water plants tomorrow")).toEqual({ ok: true, what: "water plants", dueAt: new Date("2026-11-26T09:00:00.000Z") });
    expect(at("me water plants tomorrow at 07:45")).toEqual({ ok: true, what: "water plants", dueAt: new Date("2026-11-26T07:45:00.000Z") });
    expect(at("me 交报告 明天 8:00")).toEqual({ ok: true, what: "交报告", dueAt: new Date("2026-11-26T08:00:00.000Z") });
    expect(at("me 交报告明天")).toEqual({ ok: true, what: "交报告", dueAt: new Date("2026-11-26T09:00:00.000Z") });
  });

  it.each([
    ["", /start with `me`/],
    ["bob deploy in 5 minutes", /start with `me`/],
    ["me deploy in ten minutes", /could not tell when/],
    ["me deploy someday", /could not tell when/],
    ["me deploy at 25:00", /not a time of day/],
    ["me in 10 minutes", /could not tell when|Say what/],
    ["me deploy in 0 minutes", /already passed/],
    ["me deploy in 400 days", /365 days/],
    ["me 喝水 in 10 weeks", /could not tell when/],
  ])("refuses %j with a clear reason", (text, why) => {
    const r = at(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(why);
  });

  it("the usage hint names every accepted form", () => {
    expect(REMIND_USAGE).toMatch(/in <n> minutes\|hours\|days/);
    expect(REMIND_USAGE).toMatch(/at HH:MM/);
    expect(REMIND_USAGE).toMatch(/tomorrow/);
  });
});

describe("reminder delivery", () => {
  let ws: TTestWorkspace;
  let alice: TTestUser;

  beforeAll(async () => {
    await ensureDbReady();
    ws = await createWorkspace();
    alice = await createMember(ws, "MEMBER", "Alice 李");
  });

  async function dmFromParley(user: TTestUser) {
    const botId = await ensureParleyBot(ws.id);
    const mine = await listMyChannels({ actor: user.actor, slug: ws.slug });
    const dm = mine.find((c) => c.kind === "DM" && c.dmMembers?.some((m) => m.id === botId));
    if (!dm) return { botId, messages: [] };
    const page = await listMessages({ actor: user.actor, input: { channelId: dm.id } });
    return { botId, messages: page.messages };
  }

  it("a reminder due in the past is delivered once, as a DM from Parley, even with concurrent passes", async () => {
    const r = await repo.insertReminder({ workspaceId: ws.id, userId: alice.id, text: "喝水 drink water", dueAt: new Date(Date.now() - 5 * MIN) });
    const results = await Promise.all([deliverDueReminders(), deliverDueReminders(), deliverDueReminders()]);
    // At most one pass delivers it (on PostgreSQL another test process's scheduler may even win).
    expect(results.reduce((n, x) => n + x.delivered, 0)).toBeLessThanOrEqual(1);
    await deliverDueReminders();
    const { botId, messages } = await dmFromParley(alice);
    const reminders = messages.filter((m) => m.body.includes("喝水 drink water"));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.sender).toMatchObject({ id: botId, name: "Parley", isBot: true });
    const row = await getDb().reminder.findUnique({ where: { id: r.id } });
    expect(row?.deliveredAt).toBeInstanceOf(Date);
  });

  it("a claimed reminder whose node died is retried after its lease, without a second message", async () => {
    const r = await repo.insertReminder({ workspaceId: ws.id, userId: alice.id, text: "retry after crash", dueAt: new Date(Date.now() - MIN) });
    const claimed = await repo.claimDueReminders(10, 60_000);
    expect(claimed.map((c) => c.id)).toContain(r.id);
    // Claimed rows are not handed out again while the lease runs.
    expect((await repo.claimDueReminders(10, 60_000)).map((c) => c.id)).not.toContain(r.id);
    expect((await deliverDueReminders()).delivered).toBe(0);
    // The node sent the DM and died before marking it delivered; the lease then ran out.
    await getDb().reminder.update({ where: { id: r.id }, data: { dueAt: new Date(Date.now() - 1000) } });
    const first = await deliverDueReminders();
    expect(first.delivered).toBe(1);
    await getDb().reminder.update({ where: { id: r.id }, data: { deliveredAt: null, dueAt: new Date(Date.now() - 1000) } });
    expect((await deliverDueReminders()).delivered).toBe(1);
    const { messages } = await dmFromParley(alice);
    expect(messages.filter((m) => m.body.includes("retry after crash"))).toHaveLength(1);
  });

  it("the scheduler wakes for a new reminder without polling", async () => {
    const scheduler = startReminderScheduler();
    try {
      await createReminder({ actor: alice.actor, input: { workspaceId: ws.id, text: "scheduled wake-up 提醒", dueAt: new Date(Date.now() + 300) } });
      await eventually(async () => {
        const { messages } = await dmFromParley(alice);
        expect(messages.filter((m) => m.body.includes("scheduled wake-up 提醒"))).toHaveLength(1);
      }, 15_000);
    } finally {
      scheduler.stop();
    }
  });

  it("Parley's bot user cannot sign in", async () => {
    await ensureParleyBot(ws.id);
    await expectAppError(verifyCredentials({ email: `parley-bot+${ws.id}@bots.parley.invalid`, password: "!" }), "unauthorized");
    await expectAppError(verifyCredentials({ email: `parley-bot+${ws.id}@bots.parley.invalid`, password: "anything long" }), "unauthorized");
  });
});
