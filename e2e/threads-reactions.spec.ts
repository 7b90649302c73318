/**
 * Reactions, threads and pins between two people (two browser contexts), live both ways: reacting
 * and taking a reaction back, replying in a thread (also to the channel), reacting inside the thread,
 * pinning and the pinned list. Setup goes over the HTTP API; what is tested goes through the UI.
 */
import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from "@playwright/test";
import { DEFAULT_PASSWORD, expect as baseExpect, makeUniqueEmail, test as base } from "./fixtures";

// The machine running the suite may be busy (the dev server compiles, other suites run): wait longer
// than the default for each step; nothing here measures speed.
const expect = baseExpect.configure({ timeout: 45_000 });

// As in chat.spec.ts: Next's dev HMR socket only accepts the "localhost" origin.
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;

type TPerson = { id: string; name: string; email: string; signIn(context: BrowserContext): Promise<void> };

async function signInWithPassword(request: APIRequestContext, email: string): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEFAULT_PASSWORD, json: "true" }, headers: { origin: BASE_URL } });
  expect(response.ok(), `sign-in as ${email} → ${response.status()}`).toBeTruthy();
}

const test = base.extend<object, { people: { alice: TPerson; bob: TPerson } }>({
  people: [
    async ({ playwright }, use) => {
      const request = await playwright.request.newContext({ baseURL: BASE_URL });
      const signUp = async (name: string): Promise<TPerson> => {
        const email = makeUniqueEmail(name);
        const response = await request.post("/api/auth/signup", { data: { name, email, password: DEFAULT_PASSWORD }, headers: { origin: BASE_URL } });
        expect(response.status(), `sign-up of ${name}: ${await response.text()}`).toBe(201);
        const { user } = (await response.json()) as { user: { id: string } };
        return { id: user.id, name, email, signIn: (context) => signInWithPassword(context.request, email) };
      };
      await use({ alice: await signUp("Alice Chen"), bob: await signUp("王小明") });
      await request.dispose();
    },
    { scope: "worker" },
  ],
});

test.use({ baseURL: BASE_URL });

async function expectOk(response: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<void> {
  expect(response.ok(), `${what} → ${response.status()} ${await response.text().catch(() => "")}`).toBeTruthy();
}

/** A workspace owned by `owner` with `other` invited in; returns its slug and #general. */
async function createWorkspace(owner: APIRequestContext, other: APIRequestContext): Promise<{ slug: string; generalId: string }> {
  const slug = `thr-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await expectOk(await owner.post("/api/workspaces", { data: { name: `Threads ${slug}`, slug } }), "POST /api/workspaces");
  const invite = await owner.post(`/api/workspaces/${slug}/invites`, { data: {} });
  await expectOk(invite, "POST invites");
  await expectOk(await other.post(`/api/invites/${((await invite.json()) as { token: string }).token}`), "accept invite");
  const { channels } = (await (await owner.get(`/api/workspaces/${slug}/channels`)).json()) as { channels: { id: string; isGeneral: boolean }[] };
  return { slug, generalId: channels.find((c) => c.isGeneral)!.id };
}

async function openContextFor(browser: Browser, person: TPerson): Promise<BrowserContext> {
  const context = await browser.newContext();
  await person.signIn(context);
  return context;
}

class ChatPage {
  constructor(readonly page: Page) {}

  async open(slug: string, channelId: string): Promise<void> {
    await this.page.goto(`/w/${slug}/c/${channelId}`);
    await expect(this.page.getByTestId("channel-view")).toBeVisible();
    await expect(this.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  }

  /** A message in the channel's main list. */
  message(text: string): Locator {
    return this.page.getByTestId("message-list").getByTestId("message").filter({ hasText: text });
  }

  get thread(): Locator {
    return this.page.getByTestId("thread-panel");
  }

  reaction(scope: Locator, emoji: string): Locator {
    return scope.getByTestId("reaction").and(scope.locator(`[data-emoji="${emoji}"]`));
  }

  /** Hovers a message and uses one of its actions. */
  async action(message: Locator, name: string): Promise<void> {
    await message.hover();
    await message.getByRole("button", { name, exact: true }).last().click();
  }

  async pickEmoji(search: string, name: string): Promise<void> {
    const picker = this.page.getByTestId("emoji-picker");
    await picker.getByRole("searchbox", { name: "Search emoji" }).fill(search);
    await picker.locator(`[data-emoji="${name}"]`).click();
    await expect(picker).toBeHidden();
  }
}

test.beforeAll(async ({ browser, people }) => {
  // The dev server compiles pages and routes on first use, which can take minutes on a busy machine.
  test.setTimeout(300_000);
  const [context, other] = [await openContextFor(browser, people.alice), await openContextFor(browser, people.bob)];
  const workspace = await createWorkspace(context.request, other.request);
  const posted = await context.request.post(`/api/channels/${workspace.generalId}/messages`, { data: { body: "warm-up" } });
  const { message } = (await posted.json()) as { message: { id: string } };
  await context.request.get(`/api/messages/${message.id}/replies`, { timeout: 180_000 });
  await context.request.get(`/api/channels/${workspace.generalId}/pins`, { timeout: 180_000 });
  const page = await context.newPage();
  await page.goto(`/w/${workspace.slug}/c/${workspace.generalId}`, { timeout: 180_000 });
  await expect(page.getByTestId("message").filter({ hasText: "warm-up" })).toBeVisible({ timeout: 180_000 });
  await context.close();
  await other.close();
});

test("two people react, reply in a thread and pin, seeing each other's changes live", async ({ browser, people: { alice, bob } }) => {
  test.setTimeout(420_000);
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, contextB.request);
  await expectOk(await contextA.request.post(`/api/channels/${workspace.generalId}/messages`, { data: { body: "Lunch at noon? 中午一起吃饭吗" } }), "POST message");
  const a = new ChatPage(await contextA.newPage());
  const b = new ChatPage(await contextB.newPage());
  // The names below are looked up by id: the chat never reads the workspace's whole member list.
  const memberReads: string[] = [];
  a.page.on("request", (request) => {
    const url = new URL(request.url());
    if (/^\/api\/workspaces\/[^/]+\/members$/.test(url.pathname)) memberReads.push(url.search);
  });
  await a.open(workspace.slug, workspace.generalId);
  await b.open(workspace.slug, workspace.generalId);
  const rootA = a.message("Lunch at noon?");
  const rootB = b.message("Lunch at noon?");

  // Alice reacts through the picker; Bob sees it at once and joins in; the chip counts both.
  await a.action(rootA, "Add reaction");
  await a.pickEmoji("tada", "tada");
  await expect(a.reaction(rootA, "tada")).toHaveAttribute("aria-pressed", "true");
  await expect(b.reaction(rootB, "tada")).toHaveAttribute("aria-pressed", "false");
  await expect(b.reaction(rootB, "tada").getByTestId("reaction-count")).toHaveText("1");
  await b.reaction(rootB, "tada").click();
  await expect(a.reaction(rootA, "tada").getByTestId("reaction-count")).toHaveText("2");
  await expect(a.reaction(rootA, "tada")).toHaveAttribute("title", "王小明 and you reacted with :tada:");
  // Taking it back shows everywhere too.
  await b.reaction(rootB, "tada").click();
  await expect(b.reaction(rootB, "tada")).toHaveAttribute("aria-pressed", "false");
  await expect(a.reaction(rootA, "tada").getByTestId("reaction-count")).toHaveText("1");

  // Bob replies in a thread; Alice sees "1 reply" appear and opens the thread.
  await b.action(rootB, "Reply in thread");
  await expect(b.thread.getByTestId("thread-root")).toContainText("Lunch at noon?");
  await b.thread.getByRole("textbox", { name: "Reply" }).fill("我来！I'm in");
  await b.thread.getByRole("textbox", { name: "Reply" }).press("Enter");
  await expect(b.thread.getByTestId("thread-replies").getByTestId("message").filter({ hasText: "我来！I'm in" })).toBeVisible();
  await expect(b.thread.getByTestId("thread-replies").locator('[data-pending="true"]')).toHaveCount(0);
  await expect(rootA.getByTestId("thread-link")).toHaveText("1 reply");
  // The plain reply stays out of the channel.
  await expect(a.message("我来！I'm in")).toHaveCount(0);
  await rootA.getByTestId("thread-link").click();
  const bobsReplyInA = a.thread.getByTestId("thread-replies").getByTestId("message").filter({ hasText: "我来！I'm in" });
  await expect(bobsReplyInA).toBeVisible();

  // Alice answers in the thread and also sends it to the channel: Bob sees it in both places.
  await a.thread.getByRole("checkbox", { name: /Also send to/ }).check();
  await a.thread.getByRole("textbox", { name: "Reply" }).fill("Great, see you at 12 🍜");
  await a.thread.getByRole("textbox", { name: "Reply" }).press("Enter");
  await expect(b.thread.getByTestId("thread-replies").getByTestId("message").filter({ hasText: "see you at 12" })).toBeVisible();
  await expect(b.message("see you at 12")).toBeVisible();
  await expect(b.thread.getByTestId("thread-reply-count")).toHaveText("2 replies");
  await expect(rootB.getByTestId("thread-link")).toHaveText("2 replies");

  // A reaction inside the thread reaches the other side's open thread.
  await a.action(bobsReplyInA, "Add reaction");
  await a.pickEmoji("+1", "+1");
  const bobsReplyInB = b.thread.getByTestId("thread-replies").getByTestId("message").filter({ hasText: "我来！I'm in" });
  await expect(b.reaction(bobsReplyInB, "+1").getByTestId("reaction-count")).toHaveText("1");
  await expect(b.reaction(bobsReplyInB, "+1")).toHaveAttribute("title", "Alice Chen reacted with :+1:");

  // Bob pins the question; Alice sees the marker and finds it in the pinned list.
  await b.thread.getByRole("button", { name: "Close thread" }).click();
  await expect(b.thread).toBeHidden();
  await b.action(rootB, "Pin message");
  await expect(rootA.getByTestId("pinned-label")).toHaveText(/Pinned by 王小明/);
  await expect(rootB.getByTestId("pinned-label")).toHaveText(/Pinned by you/);
  expect(memberReads.length).toBeGreaterThan(0);
  expect(memberReads.filter((search) => !search.startsWith("?ids="))).toEqual([]);
  await expect(a.page.getByTestId("pin-count")).toHaveText("1");
  await a.page.getByTestId("pins-button").click();
  await expect(a.page.getByTestId("pins-list").getByTestId("pinned-message")).toContainText("Lunch at noon?");
  await a.page.keyboard.press("Escape");
  // And unpins it.
  await b.action(rootB, "Unpin message");
  await expect(rootA.getByTestId("pinned-label")).toHaveCount(0);
  await expect(a.page.getByTestId("pin-count")).toHaveText("0");

  // A fresh load shows the same state.
  await a.page.reload();
  await expect(a.reaction(a.message("Lunch at noon?"), "tada").getByTestId("reaction-count")).toHaveText("1");
  await expect(a.message("Lunch at noon?").getByTestId("thread-link")).toHaveText("2 replies");
  await contextA.close();
  await contextB.close();
});
