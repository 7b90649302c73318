/**
 * Chat journeys: two people (two browser contexts) talking in real time, editing and deleting,
 * Markdown without HTML injection, IME-safe Enter, the offline outbox, history paging and unread
 * badges. Workspaces and memberships are set up over the HTTP API; what is tested goes through the UI.
 *
 * The same three people take part in every journey (each journey has its own workspace): the server
 * allows 20 sign-ups per address per hour, and the whole e2e suite shares one server and address.
 */
import type { APIRequestContext, Browser, BrowserContext, Locator, Page, WebSocketRoute } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, makeUniqueEmail, test as base } from "./fixtures";

// Next's dev server refuses its HMR socket to any origin but the host it was started with
// ("localhost"), and a dev page whose HMR socket is refused never hydrates. Until next.config.mjs
// lists 127.0.0.1 in allowedDevOrigins, these journeys use localhost (same server, same port).
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;

/** Someone signed up for these journeys; `signIn` gives a browser context their session. */
type TPerson = { id: string; name: string; email: string; signIn(context: BrowserContext): Promise<void> };
type TPeople = { alice: TPerson; bob: TPerson; carol: TPerson };

/** Signs in through next-auth's credentials flow; the context's cookie jar receives the session. */
async function signInWithPassword(request: APIRequestContext, email: string): Promise<void> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEFAULT_PASSWORD, json: "true" }, headers: { origin: BASE_URL } });
  expect(response.ok(), `sign-in as ${email} → ${response.status()}`).toBeTruthy();
}

const test = base.extend<object, { people: TPeople }>({
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
      await use({ alice: await signUp("Alice Chen"), bob: await signUp("王小明"), carol: await signUp("Carol Jones") });
      await request.dispose();
    },
    { scope: "worker" },
  ],
});

test.use({ baseURL: BASE_URL });

type TWorkspace = { slug: string; generalId: string };

/** A unique, valid workspace slug. */
function makeSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

async function expectOk(response: Awaited<ReturnType<APIRequestContext["get"]>>, what: string): Promise<void> {
  expect(response.ok(), `${what} → ${response.status()} ${await response.text().catch(() => "")}`).toBeTruthy();
}

/** Creates a workspace as `owner` and brings `others` in through invite links; returns its slug and #general. */
async function createWorkspace(owner: APIRequestContext, others: APIRequestContext[] = []): Promise<TWorkspace> {
  const slug = makeSlug("chat");
  await expectOk(await owner.post("/api/workspaces", { data: { name: `Chat ${slug}`, slug } }), "POST /api/workspaces");
  for (const other of others) {
    const inviteResponse = await owner.post(`/api/workspaces/${slug}/invites`, { data: {} });
    await expectOk(inviteResponse, "POST invites");
    const { token } = (await inviteResponse.json()) as { token: string };
    await expectOk(await other.post(`/api/invites/${token}`), "POST /api/invites/:token");
  }
  const channelsResponse = await owner.get(`/api/workspaces/${slug}/channels`);
  const { channels } = (await channelsResponse.json()) as { channels: { id: string; isGeneral: boolean }[] };
  return { slug, generalId: channels.find((c) => c.isGeneral)!.id };
}

/** Creates a channel in the workspace over HTTP; returns its id. */
async function createChannel(request: APIRequestContext, slug: string, data: Record<string, unknown>): Promise<string> {
  const response = await request.post(`/api/workspaces/${slug}/channels`, { data });
  await expectOk(response, "POST channels");
  return ((await response.json()) as { channel: { id: string } }).channel.id;
}

/** Posts a message over HTTP, waiting out the per-person rate limit if a long seed hits it. */
async function postMessage(request: APIRequestContext, channelId: string, body: string): Promise<void> {
  for (;;) {
    const response = await request.post(`/api/channels/${channelId}/messages`, { data: { body } });
    if (response.status() !== 429) return expectOk(response, "POST messages");
    const seconds = Number(response.headers()["retry-after"] ?? "1");
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

/** Signs a person in on a new browser context. */
async function openContextFor(browser: Browser, person: TPerson): Promise<BrowserContext> {
  const context = await browser.newContext();
  await person.signIn(context);
  return context;
}

/** The chat screen, as a person sees it. */
class ChatPage {
  readonly composer: Locator;
  readonly messages: Locator;

  constructor(readonly page: Page) {
    this.composer = page.getByRole("textbox", { name: "Message", exact: true });
    this.messages = page.getByTestId("message");
  }

  async open(slug: string, channelId: string): Promise<void> {
    await this.page.goto(`/w/${slug}/c/${channelId}`);
    await expect(this.page.getByTestId("channel-view")).toBeVisible();
  }

  async waitUntilConnected(): Promise<void> {
    await expect(this.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press("Enter");
  }

  message(text: string): Locator {
    return this.messages.filter({ hasText: text });
  }

  sidebarItem(name: string): Locator {
    return this.page.getByTestId("sidebar-channel").filter({ hasText: name });
  }
}

/**
 * Next's dev server compiles each route on its first visit, which can take longer than a test's
 * budget on a small machine: open the chat once before the journeys.
 */
test.beforeAll(async ({ browser, people }) => {
  test.setTimeout(240_000);
  const context = await openContextFor(browser, people.alice);
  const workspace = await createWorkspace(context.request);
  await postMessage(context.request, workspace.generalId, "warm-up");
  const page = await context.newPage();
  await page.goto(`/w/${workspace.slug}`, { timeout: 180_000 });
  await expect(new ChatPage(page).message("warm-up")).toBeVisible({ timeout: 180_000 });
  await context.close();
});

test("two people chat in real time, edit and delete for both, and the history survives a reload", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const a = new ChatPage(await contextA.newPage());
  const b = new ChatPage(await contextB.newPage());
  await a.open(workspace.slug, workspace.generalId);
  await b.open(workspace.slug, workspace.generalId);
  await a.waitUntilConnected();
  await b.waitUntilConnected();

  await a.send("Hello Bob, 你好！");
  await expect(b.message("Hello Bob, 你好！")).toBeVisible();
  await expect(b.message("Hello Bob, 你好！")).toContainText("Alice Chen");
  await b.send("收到，谢谢 Alice");
  await expect(a.message("收到，谢谢 Alice")).toBeVisible();
  await expect(a.message("收到，谢谢 Alice")).toContainText("王小明");

  // Edit: inline editor, Enter saves; both see the new text marked "(edited)".
  const mine = a.message("Hello Bob, 你好！");
  await mine.hover();
  await mine.getByRole("button", { name: "Edit message" }).click();
  const editor = a.page.getByRole("textbox", { name: "Edit message" });
  await editor.fill("Hello Bob, 你好！(fixed typo)");
  await editor.press("Enter");
  await expect(a.message("(fixed typo)")).toContainText("(edited)");
  await expect(b.message("(fixed typo)")).toContainText("(edited)");

  // Escape cancels an edit.
  await a.message("(fixed typo)").hover();
  await a.message("(fixed typo)").getByRole("button", { name: "Edit message" }).click();
  await a.page.getByRole("textbox", { name: "Edit message" }).fill("never saved");
  await a.page.getByRole("textbox", { name: "Edit message" }).press("Escape");
  await expect(a.page.getByRole("textbox", { name: "Edit message" })).toHaveCount(0);
  await expect(a.message("never saved")).toHaveCount(0);

  // Only my own messages offer Edit; a member sees no Delete on others' messages.
  await b.message("(fixed typo)").hover();
  await expect(b.message("(fixed typo)").getByRole("button", { name: "Edit message" })).toHaveCount(0);
  await expect(b.message("(fixed typo)").getByRole("button", { name: "Delete message" })).toHaveCount(0);

  // The workspace owner may delete anyone's message (but edit only their own).
  await a.message("收到，谢谢 Alice").hover();
  await expect(a.message("收到，谢谢 Alice").getByRole("button", { name: "Delete message" })).toBeVisible();
  await expect(a.message("收到，谢谢 Alice").getByRole("button", { name: "Edit message" })).toHaveCount(0);

  // Delete with confirmation: gone for both.
  await a.send("this one will be deleted");
  await expect(b.message("this one will be deleted")).toBeVisible();
  const doomed = a.message("this one will be deleted");
  await expect(doomed).not.toHaveAttribute("data-pending", "true");
  await doomed.hover();
  await doomed.getByRole("button", { name: "Delete message" }).click();
  await a.page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(a.message("this one will be deleted")).toHaveCount(0);
  await expect(b.message("this one will be deleted")).toHaveCount(0);

  // History after a reload, in order, without the deleted message.
  await b.page.reload();
  await expect(b.message("(fixed typo)")).toContainText("(edited)");
  await expect(b.message("收到，谢谢 Alice")).toBeVisible();
  await expect(b.message("this one will be deleted")).toHaveCount(0);
  const texts = await b.messages.allInnerTexts();
  expect(texts.findIndex((t) => t.includes("(fixed typo)"))).toBeLessThan(texts.findIndex((t) => t.includes("收到")));

  await contextA.close();
  await contextB.close();
});

test("Markdown renders and HTML in a message stays text", async ({ browser, people: { alice } }) => {
  const context = await openContextFor(browser, alice);
  const workspace = await createWorkspace(context.request);
  const chat = new ChatPage(await context.newPage());
  let dialogs = 0;
  chat.page.on("dialog", (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await chat.open(workspace.slug, workspace.generalId);

  await chat.send("**粗体 bold** _italic_ ~struck~ `inline code` [docs](https://example.com/docs) [bad](javascript:alert(1))");
  const formatted = chat.message("粗体 bold");
  await expect(formatted.locator("strong")).toHaveText("粗体 bold");
  await expect(formatted.locator("em")).toHaveText("italic");
  await expect(formatted.locator("del")).toHaveText("struck");
  await expect(formatted.locator("code")).toHaveText("inline code");
  const link = formatted.getByRole("link", { name: "docs" });
  await expect(link).toHaveAttribute("href", "https://example.com/docs");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  // A javascript: link never becomes one: its label stays, with no script URL anywhere in the message.
  await expect(formatted).toContainText("bad");
  await expect(formatted.locator('[href^="javascript"], [src^="javascript"]')).toHaveCount(0);

  await chat.send("```js\nconst answer = 42;\n```");
  const code = chat.message("const answer = 42;").locator("pre code");
  await expect(code).toHaveClass(/hljs/);
  await expect(code.locator(".hljs-keyword")).toHaveText("const");

  await chat.send("- first\n- second\n\n> quoted 引用");
  await expect(chat.message("quoted 引用").locator("li")).toHaveText(["first", "second"]);
  await expect(chat.message("quoted 引用").locator("blockquote")).toHaveText("quoted 引用");

  const hostile = `<img src=x onerror="window.__pwned=1;alert(1)"> <script>window.__pwned=2;alert(2)</script> <b>not bold</b>`;
  await chat.send(hostile);
  const shown = chat.message("<script>");
  await expect(shown).toContainText('<img src=x onerror="window.__pwned=1;alert(1)">');
  await expect(shown).toContainText("<script>window.__pwned=2;alert(2)</script>");
  await expect(shown).toContainText("<b>not bold</b>");
  await expect(shown.locator("img, script, b")).toHaveCount(0);
  expect(await chat.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toBe(0);

  await context.close();
});

test("Enter during IME composition does not send; Shift+Enter adds a line; blank is not sent", async ({ browser, people: { bob } }) => {
  const context = await openContextFor(browser, bob);
  const workspace = await createWorkspace(context.request);
  const chat = new ChatPage(await context.newPage());
  await chat.open(workspace.slug, workspace.generalId);
  await chat.waitUntilConnected();

  // A Chinese typist presses Enter to pick characters: the keydown carries isComposing (keyCode 229).
  await chat.composer.fill("ni hao");
  await chat.composer.dispatchEvent("compositionstart");
  const wasPrevented = await chat.composer.evaluate((el) => {
    const enter = new KeyboardEvent("keydown", { key: "Enter", code: "Enter", isComposing: true, bubbles: true, cancelable: true });
    el.dispatchEvent(enter);
    return enter.defaultPrevented;
  });
  expect(wasPrevented).toBe(false);
  await chat.composer.dispatchEvent("compositionend");
  await chat.composer.fill("你好");
  await expect(chat.composer).toHaveValue("你好");
  await expect(chat.messages).toHaveCount(0);

  // The same through Chromium's own IME path.
  const cdp = await context.newCDPSession(chat.page);
  await chat.composer.fill("");
  await chat.composer.focus();
  await cdp.send("Input.imeSetComposition", { text: "世界", selectionStart: 2, selectionEnd: 2 });
  await cdp.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
  await cdp.send("Input.insertText", { text: "世界" });
  await expect(chat.composer).toHaveValue("世界");
  await expect(chat.messages).toHaveCount(0);

  // Shift+Enter is a new line; Enter sends; a single newline shows as a line break.
  await chat.composer.fill("第一行 line one");
  await chat.composer.press("Shift+Enter");
  await chat.composer.pressSequentially("line two 第二行");
  await expect(chat.composer).toHaveValue("第一行 line one\nline two 第二行");
  await chat.composer.press("Enter");
  const sent = chat.message("第一行 line one");
  await expect(sent).toBeVisible();
  await expect(sent.locator("br")).toHaveCount(1);
  await expect(chat.composer).toHaveValue("");

  // Blank messages are not sent; over 40,000 characters the limit shows and nothing is sent.
  await chat.composer.fill("   \n  ");
  await chat.composer.press("Enter");
  await chat.composer.fill("字".repeat(40_001));
  await expect(chat.page.getByText("Too long to send")).toBeVisible();
  await expect(chat.page.getByRole("button", { name: "Send" })).toBeDisabled();
  await chat.composer.press("Enter");
  await expect(chat.messages).toHaveCount(1);

  await context.close();
});

test("a message sent offline stays pending, survives a reload, and arrives exactly once", async ({ browser, people: { alice, bob } }) => {
  test.setTimeout(90_000); // two people, two reloads and a reconnection
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  // Offline emulation does not stop WebSockets to this machine, so B's socket is also kept away by
  // hand while "offline": its WebSocket (which the client tries first) and its polling requests. The
  // routes must exist before B's page does to apply to it.
  let socketBlocked = false;
  await contextB.routeWebSocket("**/socket.io/**", (ws) => {
    if (socketBlocked) ws.close();
    else ws.connectToServer();
  });
  await contextB.route("**/socket.io/**", (route) => (socketBlocked ? route.abort() : route.continue()));
  const a = new ChatPage(await contextA.newPage());
  const b = new ChatPage(await contextB.newPage());
  await a.open(workspace.slug, workspace.generalId);
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();

  socketBlocked = true;
  await contextB.setOffline(true);
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-state", "reconnecting");
  await b.send("sent while offline 离线消息");
  const pending = b.message("sent while offline 离线消息");
  await expect(pending).toHaveAttribute("data-pending", "true");
  await expect(pending).toContainText("Sending…");

  // Still undelivered through a reload: the socket stays away, reload, and the message is still pending.
  await contextB.setOffline(false);
  await b.page.reload();
  await expect(b.message("sent while offline 离线消息")).toHaveAttribute("data-pending", "true");
  await expect(a.message("sent while offline 离线消息")).toHaveCount(0);

  // Back online: delivered, once.
  // The network comes back: the browser says so, and the client reconnects at once instead of
  // waiting out its reconnection backoff.
  socketBlocked = false;
  await b.page.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(b.message("sent while offline 离线消息")).not.toHaveAttribute("data-pending", "true");
  await expect(b.message("sent while offline 离线消息")).toHaveAttribute("data-seq", /\d+/);
  await expect(a.message("sent while offline 离线消息")).toHaveCount(1);
  await b.send("and one more after reconnecting");
  await expect(a.message("and one more after reconnecting")).toBeVisible();
  await expect(a.message("sent while offline 离线消息")).toHaveCount(1);
  await a.page.reload();
  await expect(a.message("and one more after reconnecting")).toBeVisible();
  await expect(a.message("sent while offline 离线消息")).toHaveCount(1);

  await contextA.close();
  await contextB.close();
});

test("scrolling up loads older history", async ({ browser, people: { alice, bob, carol } }) => {
  const [contextA, contextB, contextC] = [await openContextFor(browser, alice), await openContextFor(browser, bob), await openContextFor(browser, carol)];
  const workspace = await createWorkspace(contextA.request, [contextB.request, contextC.request]);
  // 120 messages from three people: 40 each stays within the per-person send rate (60 per 10 s).
  const senders = [contextA.request, contextB.request, contextC.request];
  for (let i = 1; i <= 120; i++) {
    await postMessage(senders[i % 3]!, workspace.generalId, `History message ${String(i).padStart(3, "0")}`);
  }
  const chat = new ChatPage(await contextB.newPage());
  await chat.open(workspace.slug, workspace.generalId);

  // Opens at the newest message, with only the newest page loaded.
  await expect(chat.message("History message 120")).toBeVisible();
  await expect(chat.message("History message 001")).toHaveCount(0);

  const scroller = chat.page.getByTestId("message-list");
  // Reaching the top prepends the page before it (50 at a time) above what is shown, and the view
  // stays put: the scroll offset grows by the new rows' height instead of jumping to them.
  await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
  await expect.poll(() => scroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(300);
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(chat.message("History message 001")).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(chat.page.getByTestId("channel-start")).toBeInViewport();
  await expect(chat.message("History message 001")).toHaveAttribute("data-seq", /\d+/);

  // Back at the bottom: the newest messages are still there after prepending.
  await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(chat.message("History message 120")).toBeVisible();

  await contextA.close();
  await contextB.close();
  await contextC.close();
});

test("a search result or a permalink far back in history opens at that message; newer pages and Jump to latest lead back", async ({ browser, people: { alice, bob, carol } }) => {
  const [contextA, contextB, contextC] = [await openContextFor(browser, alice), await openContextFor(browser, bob), await openContextFor(browser, carol)];
  const workspace = await createWorkspace(contextA.request, [contextB.request, contextC.request]);
  const senders = [contextA.request, contextB.request, contextC.request];
  let target: { ts: string } | undefined;
  for (let i = 1; i <= 150; i++) {
    if (i === 10) {
      const response = await contextC.request.post(`/api/channels/${workspace.generalId}/messages`, { data: { body: "The 斑马 zebra plan is here" } });
      await expectOk(response, "POST messages");
      target = ((await response.json()) as { message: { ts: string } }).message;
      continue;
    }
    await postMessage(senders[i % 3]!, workspace.generalId, `Deep history ${String(i).padStart(3, "0")}`);
  }
  const chat = new ChatPage(await contextB.newPage());
  await chat.open(workspace.slug, workspace.generalId);
  await chat.waitUntilConnected();
  await expect(chat.message("Deep history 150")).toBeVisible();
  await expect(chat.message("The 斑马 zebra plan")).toHaveCount(0);

  // The search result opens the conversation at the message, marked, with the newest not loaded.
  const box = chat.page.getByRole("combobox", { name: "Search messages" });
  await box.fill("斑马");
  await box.press("Enter");
  await chat.page.getByTestId("search-result").filter({ hasText: "zebra plan" }).click();
  await expect(chat.page).toHaveURL(new RegExp(`/c/${workspace.generalId}\\?ts=${target!.ts.replace(".", "\\.")}$`));
  const found = chat.message("The 斑马 zebra plan");
  await expect(found).toBeInViewport();
  await expect(found).toHaveAttribute("data-highlighted", "true");
  await expect(chat.message("Deep history 150")).toHaveCount(0);
  const jumpToLatest = chat.page.getByRole("button", { name: "Jump to latest" });
  await expect(jumpToLatest).toBeVisible();

  // A message sent now is past the window: it arrives once the reader scrolls down to the newest.
  await postMessage(contextA.request, workspace.generalId, "Posted while Bob reads old history");
  const scroller = chat.page.getByTestId("message-list");
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(chat.message("Posted while Bob reads old history")).toBeInViewport({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(chat.message("Deep history 150")).toHaveCount(1);
  await expect(chat.message("Posted while Bob reads old history")).toHaveCount(1);
  // Every message between is there once, in order: the newer pages left no gap.
  const seqs = await chat.messages.evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-seq"))));
  expect(seqs.length).toBeGreaterThan(10);
  expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1]! + 1)).toBe(true);

  // A permalink (Slack's /archives/<channel>/p<ts without the dot>) opens at the message too.
  await chat.page.goto(`/archives/${workspace.generalId}/p${target!.ts.replace(".", "")}`);
  await expect(chat.message("The 斑马 zebra plan")).toBeInViewport();
  await expect(chat.message("The 斑马 zebra plan")).toHaveAttribute("data-highlighted", "true");

  // Jump to latest: the newest messages, the address without the message.
  await chat.page.getByRole("button", { name: "Jump to latest" }).click();
  await expect(chat.message("Posted while Bob reads old history")).toBeInViewport();
  await expect(chat.page).toHaveURL(new RegExp(`/c/${workspace.generalId}$`));
  await expect(chat.message("The 斑马 zebra plan")).toHaveCount(0);

  await contextA.close();
  await contextB.close();
  await contextC.close();
});

test("an unread badge appears for another channel and clears when it is opened", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const designId = await createChannel(contextA.request, workspace.slug, { name: "设计-design", memberIds: [bob.id] });

  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();
  const designItem = b.sidebarItem("设计-design");
  await expect(designItem).toBeVisible();
  await expect(designItem.getByTestId("unread-badge")).toHaveCount(0);

  await postMessage(contextA.request, designId, "New mockups are up 新的设计稿");
  await postMessage(contextA.request, designId, "Please review");
  await expect(designItem.getByTestId("unread-badge")).toHaveText("2");
  await expect(designItem).toHaveAttribute("data-unread", "true");
  // A message in the open channel does not count as unread.
  await postMessage(contextA.request, workspace.generalId, "in general, read right away");
  await expect(b.message("in general, read right away")).toBeVisible();
  await expect(b.sidebarItem("general").getByTestId("unread-badge")).toHaveCount(0);

  await designItem.click();
  await expect(b.message("New mockups are up 新的设计稿")).toBeVisible();
  await expect(designItem.getByTestId("unread-badge")).toHaveCount(0);
  // The read position reached the server: still read after a reload, from another channel.
  await b.page.goto(`/w/${workspace.slug}/c/${workspace.generalId}`);
  await expect(b.sidebarItem("设计-design")).toBeVisible();
  await expect(b.sidebarItem("设计-design").getByTestId("unread-badge")).toHaveCount(0);

  await contextA.close();
  await contextB.close();
});

/**
 * A context's Socket.IO connection under the test's control: `drop()` closes it and refuses new ones,
 * as a restarting server does — no network change the browser could notice, so nothing refetches on
 * an "online" event —, `allow()` lets it back, `sendToPage()` delivers a frame as if from the server.
 * `intercept` may answer a frame from the page itself (returning true) instead of passing it on;
 * `lose` drops frames from the server (returning true), as events lost between servers. Must be set
 * up before the context's page exists.
 */
async function controlSocket(
  context: BrowserContext,
  options: { intercept?: (frame: string, ws: WebSocketRoute) => boolean; lose?: (frame: string) => boolean } = {},
) {
  let isRefusing = false;
  // While held, what the server sends waits here: the client cannot finish connecting.
  let held: (() => void)[] | null = null;
  const sockets: WebSocketRoute[] = [];
  await context.routeWebSocket("**/socket.io/**", (ws) => {
    if (isRefusing) return ws.close();
    sockets.push(ws);
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      if (typeof frame === "string" && options.intercept?.(frame, ws)) return;
      server.send(frame);
    });
    server.onMessage((frame) => {
      if (typeof frame === "string" && options.lose?.(frame)) return;
      if (held) held.push(() => ws.send(frame));
      else ws.send(frame);
    });
  });
  await context.route("**/socket.io/**", (route) => (isRefusing ? route.abort() : route.continue()));
  const drop = async () => {
    isRefusing = true;
    await Promise.all(sockets.splice(0).map((ws) => ws.close()));
  };
  return {
    /** Drops the page's connection, runs `whileDown` once the page shows it, then lets it reconnect. */
    outage: async (chat: ChatPage, whileDown: () => Promise<void>) => {
      await drop();
      await expect(chat.page.getByTestId("connection-status")).toHaveAttribute("data-state", "reconnecting");
      await whileDown();
      isRefusing = false;
    },
    hold: () => {
      held ??= [];
    },
    release: () => {
      const frames = held ?? [];
      held = null;
      for (const send of frames) send();
    },
    sendToPage: (frame: string) => {
      for (const ws of sockets) ws.send(frame);
    },
  };
}

test("unread badges count what arrived while the connection was down, with the browser online throughout", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const releasesId = await createChannel(contextA.request, workspace.slug, { name: "发布-releases", memberIds: [bob.id] });
  const socket = await controlSocket(contextB);
  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();
  const releasesItem = b.sidebarItem("发布-releases");
  await expect(releasesItem.getByTestId("unread-badge")).toHaveCount(0);

  await socket.outage(b, async () => {
    await postMessage(contextA.request, releasesId, "v2.0 已发布 released while you were away");
    await postMessage(contextA.request, releasesId, "changelog inside");
  });
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await expect(releasesItem.getByTestId("unread-badge")).toHaveText("2");
  // And live again afterwards.
  await postMessage(contextA.request, releasesId, "one more");
  await expect(releasesItem.getByTestId("unread-badge")).toHaveText("3");

  await contextA.close();
  await contextB.close();
});

test("unread badges count what arrived while the page was still connecting", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const launchesId = await createChannel(contextA.request, workspace.slug, { name: "上线-launches", memberIds: [bob.id] });
  // B's page loads and reads its sidebar, but its socket cannot finish connecting yet (a slow network).
  const socket = await controlSocket(contextB);
  socket.hold();
  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  const launchesItem = b.sidebarItem("上线-launches");
  await expect(launchesItem).toBeVisible();
  await expect(b.page.getByTestId("connection-status")).not.toHaveAttribute("data-state", "connected");

  await postMessage(contextA.request, launchesId, "v3 上线了 before your socket was up");
  socket.release();
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await expect(launchesItem.getByTestId("unread-badge")).toHaveText("1");
  await postMessage(contextA.request, launchesId, "and live after");
  await expect(launchesItem.getByTestId("unread-badge")).toHaveText("2");

  await contextA.close();
  await contextB.close();
});

test("events lost between servers: the resync hint brings the unread badges back", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const alertsId = await createChannel(contextA.request, workspace.slug, { name: "告警-alerts", memberIds: [bob.id] });
  // B's node never passes on the new messages of #告警-alerts (as when a node is cut off from
  // Redis), then says so with a resync hint, as the node does once Redis answers again.
  let lost = 0;
  const socket = await controlSocket(contextB, {
    lose: (frame) => {
      if (!frame.startsWith('42["messages.created"') || !frame.includes(alertsId)) return false;
      lost++;
      return true;
    },
  });
  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();
  const alertsItem = b.sidebarItem("告警-alerts");
  await expect(alertsItem.getByTestId("unread-badge")).toHaveCount(0);

  await postMessage(contextA.request, alertsId, "disk 91% 磁盘告警");
  await postMessage(contextA.request, alertsId, "disk 95%");
  await expect.poll(() => lost).toBe(2);
  await expect(alertsItem.getByTestId("unread-badge")).toHaveCount(0);
  socket.sendToPage(`42${JSON.stringify(["channels.resync", {}])}`);
  await expect(alertsItem.getByTestId("unread-badge")).toHaveText("2");

  await contextA.close();
  await contextB.close();
});

test("after a reconnect, a catch-up the server could not answer is tried again", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  // Once B's connection is back, the first `channels.sync` it sends is answered as an overloaded
  // server would ("unavailable"), in Socket.IO's ack frame.
  let syncsToRefuse = 0;
  const socket = await controlSocket(contextB, {
    intercept: (frame, ws) => {
      const sync = /^42(\d+)\["channels\.sync",/.exec(frame);
      if (!sync || syncsToRefuse === 0) return false;
      syncsToRefuse--;
      ws.send(`43${sync[1]}${JSON.stringify([{ ok: false, error: { code: "unavailable", message: "The server is busy; try again" } }])}`);
      return true;
    },
  });
  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();

  await socket.outage(b, async () => {
    await postMessage(contextA.request, workspace.generalId, "posted during the outage 断线期间");
    syncsToRefuse = 1;
  });
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  // No new message, gap or hint follows to ask again, and the periodic check is 30 s away.
  await expect(b.message("posted during the outage 断线期间")).toBeVisible();
  expect(syncsToRefuse).toBe(0);
  await expect(b.message("posted during the outage 断线期间")).toHaveCount(1);

  await contextA.close();
  await contextB.close();
});

test("a handshake the server refuses is asked again until it is admitted, and the outage's messages arrive", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  // Once B's connection is back, its first two handshakes (Socket.IO's CONNECT) are refused as a busy
  // server refuses them, with a CONNECT_ERROR: Socket.IO's client does not retry those by itself.
  let handshakesToRefuse = 0;
  let refused = 0;
  const socket = await controlSocket(contextB, {
    intercept: (frame, ws) => {
      if (!frame.startsWith("40") || handshakesToRefuse === 0) return false;
      handshakesToRefuse--;
      refused++;
      ws.send(`44${JSON.stringify({ message: "unavailable" })}`);
      return true;
    },
  });
  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, workspace.generalId);
  await b.waitUntilConnected();

  await socket.outage(b, async () => {
    await postMessage(contextA.request, workspace.generalId, "said while you were refused 被拒期间");
    handshakesToRefuse = 2;
  });
  await expect.poll(() => refused, { timeout: 15_000 }).toBe(2);
  await expect(b.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", { timeout: 15_000 });
  await expect(b.message("said while you were refused 被拒期间")).toHaveCount(1);
  // And live again afterwards.
  await postMessage(contextA.request, workspace.generalId, "and live after 之后");
  await expect(b.message("and live after 之后")).toBeVisible();

  await contextA.close();
  await contextB.close();
});

test("switching conversations in the sidebar asks the server for no page; Back, Forward and reload follow", async ({ browser, people: { alice } }) => {
  const context = await openContextFor(browser, alice);
  const workspace = await createWorkspace(context.request);
  const randomId = await createChannel(context.request, workspace.slug, { name: "random-随便" });
  await postMessage(context.request, workspace.generalId, "said in general");
  await postMessage(context.request, randomId, "said in random 随便说");

  const chat = new ChatPage(await context.newPage());
  const view = chat.page.getByTestId("channel-view");
  const url = (channelId: string) => new RegExp(`/w/${workspace.slug}/c/${channelId}$`);
  await chat.open(workspace.slug, workspace.generalId);
  await chat.waitUntilConnected();
  await expect(chat.message("said in general")).toBeVisible();

  // Route payloads (RSC requests) asked for from here on: a switch needs none.
  const routeRequests: string[] = [];
  chat.page.on("request", (request) => {
    if (request.headers()["rsc"] === "1" || request.url().includes("_rsc=")) routeRequests.push(request.url());
  });
  await chat.sidebarItem("random-随便").click();
  await expect(view).toHaveAttribute("data-channel-id", randomId);
  await expect(chat.message("said in random 随便说")).toBeVisible();
  await expect(chat.page).toHaveURL(url(randomId));
  await expect(chat.sidebarItem("random-随便")).toHaveAttribute("aria-current", "page");
  await expect(chat.page).toHaveTitle(/#random-随便/);
  await chat.sidebarItem("general").click();
  await expect(view).toHaveAttribute("data-channel-id", workspace.generalId);
  await expect(chat.page).toHaveURL(url(workspace.generalId));
  await expect(chat.message("said in general")).toBeVisible();
  expect(routeRequests).toEqual([]);

  // History: Back and Forward show the conversation of the URL they go to.
  await chat.page.goBack();
  await expect(chat.page).toHaveURL(url(randomId));
  await expect(view).toHaveAttribute("data-channel-id", randomId);
  await expect(chat.message("said in random 随便说")).toBeVisible();
  await chat.page.goForward();
  await expect(chat.page).toHaveURL(url(workspace.generalId));
  await expect(view).toHaveAttribute("data-channel-id", workspace.generalId);

  // Another screen and back: a normal navigation; a reload shows the conversation of the URL.
  await chat.page.getByRole("link", { name: "Workspace settings" }).click();
  await expect(chat.page).toHaveURL(new RegExp(`/w/${workspace.slug}/settings$`));
  await chat.sidebarItem("random-随便").click();
  await expect(chat.page).toHaveURL(url(randomId));
  await expect(chat.message("said in random 随便说")).toBeVisible();
  await chat.page.reload();
  await expect(view).toHaveAttribute("data-channel-id", randomId);
  await expect(chat.message("said in random 随便说")).toBeVisible();

  await context.close();
});

test("a conversation clicked while another screen is still loading is where the person ends up", async ({ browser, people: { alice } }) => {
  const context = await openContextFor(browser, alice);
  const workspace = await createWorkspace(context.request);
  const laterId = await createChannel(context.request, workspace.slug, { name: "later-稍后" });
  await postMessage(context.request, laterId, "the one I clicked last 最后点的");

  const chat = new ChatPage(await context.newPage());
  await chat.open(workspace.slug, workspace.generalId);
  await chat.waitUntilConnected();
  // The settings screen's route payload is held back until the conversation has been clicked.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const settingsPath = `/w/${workspace.slug}/settings`;
  let heldRequests = 0;
  await chat.page.route(
    (url) => url.pathname === settingsPath,
    async (route) => {
      heldRequests++;
      await held;
      await route.continue();
    },
  );
  const settingsAnswered = chat.page.waitForResponse((response) => new URL(response.url()).pathname === settingsPath && response.request().headers()["rsc"] === "1");
  await chat.page.getByRole("link", { name: "Workspace settings" }).click();
  await expect.poll(() => heldRequests).toBeGreaterThan(0);
  await chat.sidebarItem("later-稍后").click();
  release();
  await settingsAnswered;
  // Give the router every chance to show the screen it was loading, then check it did not.
  await chat.page.waitForTimeout(1_000);
  await expect(chat.page).toHaveURL(new RegExp(`/w/${workspace.slug}/c/${laterId}$`));
  await expect(chat.page.getByTestId("channel-view")).toHaveAttribute("data-channel-id", laterId);
  await expect(chat.message("the one I clicked last 最后点的")).toBeVisible();
  await context.close();
});

test("pages and API answers come compressed: a page streamed, a JSON answer whole with its length", async ({ browser, people: { alice } }) => {
  const context = await openContextFor(browser, alice);
  const workspace = await createWorkspace(context.request);
  for (let i = 1; i <= 6; i++) await postMessage(context.request, workspace.generalId, `第${i}次部署完成 — deploy ${i} is done, see the **changelog** for what moved`);
  const asBrowser = { headers: { "Accept-Encoding": "gzip, deflate, br, zstd" } };

  const history = await context.request.get(`/api/channels/${workspace.generalId}/messages?limit=50`, asBrowser);
  expect(history.headers()["content-encoding"]).toBe("br");
  expect(Number(history.headers()["content-length"])).toBeGreaterThan(0);
  expect(history.headers()["vary"]).toMatch(/Accept-Encoding/i);
  const { messages } = (await history.json()) as { messages: { body: string }[] };
  expect(messages.map((m) => m.body)).toContain("第6次部署完成 — deploy 6 is done, see the **changelog** for what moved");

  const gzipOnly = await context.request.get(`/api/channels/${workspace.generalId}/messages?limit=50`, { headers: { "Accept-Encoding": "gzip" } });
  expect(gzipOnly.headers()["content-encoding"]).toBe("gzip");
  expect(((await gzipOnly.json()) as { messages: unknown[] }).messages).toHaveLength(messages.length);

  const channelPage = await context.request.get(`/w/${workspace.slug}/c/${workspace.generalId}`, asBrowser);
  expect(channelPage.headers()["content-encoding"]).toBe("br");
  expect(channelPage.headers()["content-length"]).toBeUndefined(); // streamed: its <head> goes first
  expect(await channelPage.text()).toContain("</html>");
  await context.close();
});

test("loading a conversation asks for each read once, the first ones preloaded while the scripts load", async ({ browser, people: { alice } }) => {
  const context = await openContextFor(browser, alice);
  const workspace = await createWorkspace(context.request);
  await postMessage(context.request, workspace.generalId, "**loaded** with one request 一次");

  const page = await context.newPage();
  const reads: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (request.method() === "GET" && url.pathname.startsWith("/api/")) reads.push(`${url.pathname}${url.search}`);
  });
  const chat = new ChatPage(page);
  await chat.open(workspace.slug, workspace.generalId);
  await chat.waitUntilConnected();
  await expect(chat.message("loaded with one request 一次")).toBeVisible();
  await page.waitForLoadState("networkidle");

  const preloaded = await page.locator('link[rel="preload"][as="fetch"]').evaluateAll((links) => links.map((l) => l.getAttribute("href")));
  const slug = encodeURIComponent(workspace.slug);
  expect(preloaded.toSorted()).toEqual(
    ["/api/me", `/api/workspaces/${slug}`, `/api/workspaces/${slug}/channels`, `/api/channels/${workspace.generalId}`, `/api/channels/${workspace.generalId}/messages?limit=50`].toSorted(),
  );
  // A preload the page's own fetch() did not take would show here twice.
  for (const path of preloaded) expect(reads.filter((r) => r === path), path!).toHaveLength(1);
  expect(reads.filter((r, i) => reads.indexOf(r) !== i), "asked for twice").toEqual([]);
  await context.close();
});

test("a public channel offers Join; announcement and archived channels explain why there is no composer", async ({ browser, people: { alice, bob } }) => {
  const [contextA, contextB] = [await openContextFor(browser, alice), await openContextFor(browser, bob)];
  const workspace = await createWorkspace(contextA.request, [contextB.request]);
  const newsId = await createChannel(contextA.request, workspace.slug, { name: "公告-news", kind: "ANNOUNCEMENT", topic: "Company news" });
  const oldId = await createChannel(contextA.request, workspace.slug, { name: "old-project", memberIds: [bob.id] });
  await postMessage(contextA.request, newsId, "We ship on Friday 周五发布");
  await expectOk(await contextA.request.patch(`/api/channels/${oldId}`, { data: { archived: true } }), "archive");

  const b = new ChatPage(await contextB.newPage());
  await b.open(workspace.slug, newsId);
  await expect(b.message("We ship on Friday 周五发布")).toBeVisible();
  await expect(b.composer).toHaveCount(0);
  await b.page.getByTestId("join-bar").getByRole("button", { name: "Join channel" }).click();
  await expect(b.sidebarItem("公告-news")).toBeVisible();
  await expect(b.page.getByTestId("announcement-notice")).toBeVisible();
  await expect(b.composer).toHaveCount(0);

  await b.open(workspace.slug, oldId);
  await expect(b.page.getByTestId("archived-notice")).toContainText("read-only");
  await expect(b.composer).toHaveCount(0);

  await contextA.close();
  await contextB.close();
});

test("when the session is ended elsewhere, the open chat goes to the sign-in page", async ({ browser, people: { alice, carol } }) => {
  const [contextA, contextC] = [await openContextFor(browser, alice), await openContextFor(browser, carol)];
  const workspace = await createWorkspace(contextA.request, [contextC.request]);
  const c = new ChatPage(await contextC.newPage());
  await c.open(workspace.slug, workspace.generalId);
  await c.waitUntilConnected();

  // Deactivation ends every session of the person at once; the server says so over the socket.
  await expectOk(await contextA.request.patch(`/api/workspaces/${workspace.slug}/members/${carol.id}`, { data: { status: "DEACTIVATED" } }), "deactivate");
  await expect(c.page).toHaveURL(/\/login\?callbackUrl=/);

  await contextA.close();
  await contextC.close();
});
