/**
 * Search journey: someone searches from the top bar in Chinese and in English, sees the conversation,
 * author and the matched words marked, and opens results — a channel message opens its conversation
 * at that message (marked), a thread reply opens its thread with the reply marked, also when it is
 * beyond the replies a thread opens with. Setup goes over the HTTP API; what is tested goes through the UI.
 */
import type { APIRequestContext } from "@playwright/test";
import { DEFAULT_PASSWORD, expect as baseExpect, makeUniqueEmail, test } from "./fixtures";

// A busy machine compiles pages on first use: wait long for each step; nothing here measures speed.
const expect = baseExpect.configure({ timeout: 45_000 });
// As in chat.spec.ts: Next's dev HMR socket only accepts the "localhost" origin.
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
test.use({ baseURL: BASE_URL });

async function ok(response: Awaited<ReturnType<APIRequestContext["get"]>>, what: string) {
  expect(response.ok(), `${what} → ${response.status()} ${await response.text().catch(() => "")}`).toBeTruthy();
  return response.json();
}

/** Signs a new person up and in on `request` (a browser context's cookie jar). */
async function signUpAndIn(request: APIRequestContext, name: string): Promise<void> {
  const email = makeUniqueEmail("searcher");
  await ok(await request.post("/api/auth/signup", { data: { name, email, password: DEFAULT_PASSWORD }, headers: { origin: BASE_URL } }), "sign-up");
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await ok(await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEFAULT_PASSWORD, json: "true" }, headers: { origin: BASE_URL } }), "sign-in");
}

test("search in Chinese and English from the top bar; results open the conversation and the thread", async ({ browser }) => {
  test.setTimeout(420_000);
  const context = await browser.newContext();
  const request = context.request;
  await signUpAndIn(request, "林搜索");
  const slug = `srch-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await ok(await request.post("/api/workspaces", { data: { name: `Search ${slug}`, slug } }), "workspace");
  const { channels } = (await ok(await request.get(`/api/workspaces/${slug}/channels`), "channels")) as { channels: { id: string; isGeneral: boolean }[] };
  const generalId = channels.find((c) => c.isGeneral)!.id;
  const { channel: project } = (await ok(await request.post(`/api/workspaces/${slug}/channels`, { data: { name: "项目组" } }), "channel")) as { channel: { id: string } };
  await ok(await request.post(`/api/channels/${generalId}/messages`, { data: { body: "Lunch menu for Friday" } }), "post");
  const { message: root } = (await ok(await request.post(`/api/channels/${project.id}/messages`, { data: { body: "今天下午三点开会讨论项目进度" } }), "post")) as { message: { id: string } };
  await ok(await request.post(`/api/channels/${project.id}/messages`, { data: { body: "Deployment checklist is ready", threadRootId: root.id } }), "reply");

  const page = await context.newPage();
  await page.goto(`/w/${slug}/c/${generalId}`, { timeout: 180_000 });
  await expect(page.getByTestId("channel-view")).toBeVisible({ timeout: 180_000 });
  const box = page.getByRole("combobox", { name: "Search messages" });

  // Chinese: a two-character word inside a sentence without spaces; Ctrl+K focuses the box.
  await page.keyboard.press("Control+k");
  await expect(box).toBeFocused();
  await box.fill("项目");
  await box.press("Enter");
  const results = page.getByTestId("search-result");
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText("项目组");
  await expect(results.first()).toContainText("林搜索");
  await expect(results.first().locator("mark")).toHaveText(["项目"]);
  await expect(page.getByTestId("search-summary")).toHaveText("1 result");
  await results.first().click();
  await expect(page).toHaveURL(new RegExp(`/w/${slug}/c/${project.id}\\?ts=\\d+\\.\\d{6}$`));
  const opened = page.getByTestId("message").filter({ hasText: "今天下午三点开会讨论项目进度" });
  await expect(opened).toBeVisible();
  await expect(opened).toHaveAttribute("data-highlighted", "true");

  // English, any case; a thread reply opens its thread, the reply marked.
  await box.fill("DEPLOYMENT");
  await box.press("Enter");
  await expect(results).toHaveCount(1);
  await expect(results.first()).toContainText("reply in a thread");
  await expect(results.first().locator("mark")).toHaveText(["Deployment"]);
  await results.first().click();
  await expect(page.getByTestId("thread-panel")).toBeVisible();
  // The conversation behind it opens at the thread's root.
  await expect(page.getByTestId("message").filter({ hasText: "今天下午三点开会讨论项目进度" }).first()).toHaveAttribute("data-highlighted", "true");
  await expect(page.getByTestId("thread-panel")).toContainText("Deployment checklist is ready");
  await expect(page.getByTestId("thread-replies").getByTestId("message").filter({ hasText: "Deployment checklist is ready" })).toHaveAttribute("data-highlighted", "true");

  // Nothing found, and "/" focuses the box from the page (not from a text field: the thread's
  // composer has the focus now, so leave it first).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("/");
  await expect(box).toBeFocused();
  await box.fill("不存在的词");
  await box.press("Enter");
  await expect(page.getByText("No messages match")).toBeVisible();
  await box.press("Escape");
  await expect(page.getByText("No messages match")).toBeHidden();
  await context.close();
});

test("a reply far down a long thread opens marked, its thread loaded on until it is shown", async ({ browser }) => {
  test.setTimeout(420_000);
  // Four people (one person may send 60 messages in 10 s) write 204 replies: more than the 200 a
  // thread opens with.
  const contexts = await Promise.all([0, 1, 2, 3].map(() => browser.newContext()));
  const [owner, ...others] = contexts.map((c) => c.request) as [APIRequestContext, ...APIRequestContext[]];
  await Promise.all(contexts.map((c, i) => signUpAndIn(c.request, ["周长帖", "Ada", "Bo", "Cy"][i]!)));
  const slug = `long-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  await ok(await owner.post("/api/workspaces", { data: { name: `Long ${slug}`, slug } }), "workspace");
  for (const other of others) {
    const { token } = (await ok(await owner.post(`/api/workspaces/${slug}/invites`, { data: {} }), "invite")) as { token: string };
    await ok(await other.post(`/api/invites/${token}`), "accept invite");
  }
  const { channels } = (await ok(await owner.get(`/api/workspaces/${slug}/channels`), "channels")) as { channels: { id: string; isGeneral: boolean }[] };
  const generalId = channels.find((c) => c.isGeneral)!.id;
  const { message: root } = (await ok(await owner.post(`/api/channels/${generalId}/messages`, { data: { body: "发布计划讨论 — release plan thread" } }), "root")) as { message: { id: string } };
  const replies: { ts: string; body: string }[][] = await Promise.all(
    [owner, ...others].map(async (writer, w) => {
      const mine: { ts: string; body: string }[] = [];
      for (let i = 0; i < 51; i++) {
        const body = `reply ${w}-${i} 第${i}条`;
        const { message } = (await ok(await writer.post(`/api/channels/${generalId}/messages`, { data: { body, threadRootId: root.id } }), "reply")) as { message: { ts: string } };
        mine.push({ ts: message.ts, body });
      }
      return mine;
    }),
  );
  // The third newest of all 204: beyond the first 200.
  const target = replies.flat().sort((a, b) => a.ts.localeCompare(b.ts)).at(-3)!;

  // As a search result (or a link to the reply) opens it.
  const page = await contexts[0]!.newPage();
  await page.goto(`/w/${slug}/c/${generalId}?${new URLSearchParams({ ts: target.ts, thread: root.id })}`, { timeout: 180_000 });
  const marked = page.getByTestId("thread-replies").getByTestId("message").filter({ hasText: target.body });
  await expect(marked).toHaveAttribute("data-highlighted", "true");
  await expect(marked).toBeInViewport();
  await expect(page.getByTestId("thread-replies").getByTestId("message")).toHaveCount(204);
  await Promise.all(contexts.map((c) => c.close()));
});
