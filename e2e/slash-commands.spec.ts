/**
 * Slash commands in the composer: typing "/" lists commands with usage hints (keyboard to choose),
 * /topic changes the topic, /remind answers with an ephemeral confirmation ("Only visible to you",
 * dismissable, gone after a reload), an unknown command keeps the text in the box, and /mute dims the
 * channel in the sidebar.
 */
import type { APIRequestContext } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, makeUniqueEmail, test } from "./fixtures";

// As in chat.spec.ts: the dev server's HMR socket only accepts the host it was started with.
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
test.use({ baseURL: BASE_URL });

async function signUpAndIn(request: APIRequestContext, name: string): Promise<void> {
  const email = makeUniqueEmail(name);
  const signup = await request.post("/api/auth/signup", { data: { name, email, password: DEFAULT_PASSWORD }, headers: { origin: BASE_URL } });
  expect(signup.status(), await signup.text()).toBe(201);
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEFAULT_PASSWORD, json: "true" }, headers: { origin: BASE_URL } });
  expect(res.ok()).toBeTruthy();
}

test("slash commands: the list, /topic, /remind, unknown commands", async ({ page }) => {
  // The dev server compiles the chat page and each API route on first use: minutes on 2 cores.
  test.setTimeout(360_000);
  await signUpAndIn(page.context().request, "Slash 用户");
  const request = page.context().request;
  const slug = `slash-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  expect((await request.post("/api/workspaces", { data: { name: "Slash", slug }, headers: { origin: BASE_URL } })).ok()).toBeTruthy();
  // Warm up the routes the journey uses (the dev server compiles each on first use).
  expect((await request.get(`/api/workspaces/${slug}/commands`, { timeout: 240_000 })).ok()).toBeTruthy();
  expect((await request.post("/api/commands/run", { data: {}, headers: { origin: BASE_URL }, timeout: 240_000 })).status()).toBe(422);
  expect((await request.get("/api/me", { timeout: 240_000 })).ok()).toBeTruthy();
  const { channels } = (await (await request.get(`/api/workspaces/${slug}/channels`)).json()) as { channels: { id: string; isGeneral: boolean }[] };
  const generalId = channels.find((c) => c.isGeneral)!.id;

  expect((await request.get(`/w/${slug}/c/${generalId}`, { timeout: 240_000 })).ok()).toBeTruthy();
  await page.goto(`/w/${slug}/c/${generalId}`, { timeout: 240_000 });
  const composer = page.getByRole("textbox", { name: "Message", exact: true });
  await expect(composer).toBeVisible({ timeout: 180_000 });

  // "/" lists every command with its usage hint; typing narrows it; Tab chooses.
  await composer.fill("/");
  const menu = page.getByTestId("command-menu");
  await expect(menu).toBeVisible({ timeout: 60_000 });
  for (const name of ["/invite", "/leave", "/topic", "/mute", "/remind", "/status", "/help"]) await expect(menu.getByText(name, { exact: true })).toBeVisible();
  await expect(menu.getByTestId("command-option").filter({ hasText: "/remind" })).toContainText("in [n] minutes");
  await composer.press("Escape");
  await expect(menu).toBeHidden();
  await composer.fill("/to");
  await expect(menu.getByTestId("command-option")).toHaveCount(1);
  await expect(menu.getByTestId("command-option").first()).toHaveAttribute("aria-selected", "true");
  await composer.press("Tab");
  await expect(composer).toHaveValue("/topic ");
  await expect(page.getByTestId("command-usage")).toContainText("[new topic]");

  // /topic changes the topic (header updates) and answers only me.
  await composer.pressSequentially("本周冲刺 sprint 12");
  await composer.press("Enter");
  await expect(page.getByTestId("channel-topic")).toHaveText("本周冲刺 sprint 12");
  await expect(composer).toHaveValue("");
  const replies = page.getByTestId("ephemeral-message");
  await expect(replies.filter({ hasText: "Topic set to: 本周冲刺 sprint 12" })).toContainText("Only visible to you");

  // /remind confirms with an ephemeral message; dismiss removes it.
  await composer.fill("/remind me 喝水 in 10 minutes");
  await composer.press("Enter");
  const confirmation = replies.filter({ hasText: 'OK, I will remind you "喝水"' });
  await expect(confirmation).toContainText("(in 10 minutes)");
  await expect(composer).toHaveValue("");
  await confirmation.getByRole("button", { name: "Dismiss message" }).click();
  await expect(confirmation).toHaveCount(0);

  // Bad /remind input: the usage hint, and the text stays so it can be fixed.
  await composer.fill("/remind me 喝水 someday");
  await composer.press("Enter");
  await expect(replies.filter({ hasText: "I could not tell when to remind you" })).toBeVisible();
  await expect(composer).toHaveValue("/remind me 喝水 someday");

  // An unknown command is refused; nothing is lost.
  await composer.fill("/deploy production");
  await composer.press("Enter");
  await expect(replies.filter({ hasText: "/deploy is not a command here" })).toBeVisible();
  await expect(composer).toHaveValue("/deploy production");

  // /mute dims the channel in the sidebar (no unread badge); /mute again brings it back.
  const sidebarGeneral = page.getByTestId("sidebar-channel").filter({ hasText: "general" });
  await composer.fill("/mute");
  await composer.press("Enter");
  await expect(sidebarGeneral).toHaveAttribute("data-muted", "true");
  await expect(composer).toHaveValue("");
  await composer.fill("/mute");
  await composer.press("Enter");
  await expect(sidebarGeneral).not.toHaveAttribute("data-muted", "true");

  // Ephemeral messages are never stored: gone after a reload.
  await page.reload();
  await expect(composer).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("channel-topic")).toHaveText("本周冲刺 sprint 12");
  await expect(replies).toHaveCount(0);
});
