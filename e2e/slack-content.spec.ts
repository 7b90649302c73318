/**
 * Slack-style content in the message list: an incoming webhook posts mrkdwn with a name and icon of
 * its own, Block Kit blocks and a legacy attachment; a person's Markdown message mentions people,
 * a channel and @here. The webhook is created through the admin bridge (the server's Unix socket in
 * its data folder), as `npm run admin create-webhook` would.
 */
import http from "node:http";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { DEFAULT_PASSWORD, expect, makeUniqueEmail, test } from "./fixtures";

// As in chat.spec.ts: the dev server's HMR socket only accepts the host it was started with.
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
test.use({ baseURL: BASE_URL });

async function signUpAndIn(request: APIRequestContext, name: string): Promise<{ id: string }> {
  const email = makeUniqueEmail(name);
  const signup = await request.post("/api/auth/signup", { data: { name, email, password: DEFAULT_PASSWORD }, headers: { origin: BASE_URL } });
  expect(signup.status(), await signup.text()).toBe(201);
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await request.post("/api/auth/callback/credentials", { form: { csrfToken, email, password: DEFAULT_PASSWORD, json: "true" }, headers: { origin: BASE_URL } });
  expect(res.ok()).toBeTruthy();
  return ((await signup.json()) as { user: { id: string } }).user;
}

/** Runs an admin CLI command inside the running server. */
function runAdmin(command: string, flags: Record<string, string>): Promise<Record<string, string>> {
  const socketPath = path.join(process.env.E2E_RUN_DATA_DIR!, "admin.sock");
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: "/", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk));
      res.on("end", () => {
        const parsed = JSON.parse(body) as { ok: boolean; result?: Record<string, string> };
        if (parsed.ok && parsed.result) resolve(parsed.result);
        else reject(new Error(`admin ${command} failed: ${body}`));
      });
    });
    req.on("error", reject);
    req.end(JSON.stringify({ command, flags }));
  });
}

test.describe.configure({ timeout: 360_000 });

test("bots' mrkdwn, blocks and attachments; people's mentions", async ({ page }) => {
  const request = page.context().request;
  const me = await signUpAndIn(request, "Render 测试");
  const slug = `render-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  expect((await request.post("/api/workspaces", { data: { name: "Render", slug }, headers: { origin: BASE_URL } })).ok()).toBeTruthy();
  const { channels } = (await (await request.get(`/api/workspaces/${slug}/channels`)).json()) as { channels: { id: string; name: string; isGeneral: boolean }[] };
  const general = channels.find((c) => c.isGeneral)!;

  const hook = await runAdmin("create-webhook", { workspace: slug, channel: general.name, name: "Deploys" });
  const posted = await request.post(new URL(hook.url!).pathname, {
    data: {
      text: "Deploy finished (fallback)",
      username: "部署机器人",
      icon_emoji: ":rocket:",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "部署完成 :tada:" } },
        {
          type: "section",
          text: { type: "mrkdwn", text: `*api* v1.2 is live, <@${me.id}> &amp; <!here>` },
          fields: [
            { type: "mrkdwn", text: "*Env*\nprod" },
            { type: "mrkdwn", text: "*耗时*\n3m" },
          ],
        },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "by _ci_ · <https://ci.example/42|build 42>" }] },
        {
          type: "actions",
          elements: [
            { type: "button", text: { type: "plain_text", text: "Open logs" }, url: "https://ci.example/logs", style: "primary" },
            { type: "button", text: { type: "plain_text", text: "Roll back" }, action_id: "rollback", style: "danger" },
          ],
        },
      ],
      attachments: [{ color: "good", title: "Release notes", title_link: "https://ci.example/notes", text: "Fixed *everything*", fields: [{ title: "Branch", value: "main", short: true }], footer: "ci" }],
    },
  });
  expect(posted.status(), await posted.text()).toBe(200);

  await page.goto(`/w/${slug}/c/${general.id}`, { timeout: 180_000 });
  const composer = page.getByRole("textbox", { name: "Message", exact: true });
  // The dev server compiles the chat screen on first visit.
  await expect(composer).toBeVisible({ timeout: 150_000 });

  const bot = page.getByTestId("message").filter({ has: page.getByTestId("message-blocks") });
  await expect(bot.getByText("部署机器人", { exact: true })).toBeVisible();
  await expect(bot.getByText("App", { exact: true })).toBeVisible();
  await expect(bot.getByTestId("sender-icon")).toHaveText("🚀");
  // Blocks replace the fallback text, as in Slack.
  await expect(bot.getByText("Deploy finished (fallback)")).toHaveCount(0);
  await expect(bot.getByRole("heading", { name: "部署完成 🎉" })).toBeVisible();
  await expect(bot.locator("strong", { hasText: "api" })).toBeVisible();
  await expect(bot.locator("[data-mention=user]")).toHaveText("@Render 测试");
  await expect(bot.locator("[data-mention=broadcast]")).toHaveText("@here");
  await expect(bot.getByText("耗时")).toBeVisible();
  await expect(bot.getByRole("link", { name: "build 42" })).toHaveAttribute("href", "https://ci.example/42");
  const logs = bot.getByRole("link", { name: "Open logs" });
  await expect(logs).toHaveAttribute("target", "_blank");
  await expect(logs).toHaveAttribute("rel", /noopener/);
  await expect(bot.getByRole("button", { name: "Roll back" })).toHaveAttribute("title", "Interactive buttons are not supported yet");
  await expect(bot.getByRole("link", { name: "Release notes" })).toHaveAttribute("href", "https://ci.example/notes");
  await expect(bot.getByTestId("attachment-bar")).toHaveCSS("background-color", "rgb(46, 182, 125)");

  // A person's Markdown message with Slack tokens: typed as tokens, shown as chips and links.
  await composer.fill(`Hi <@${me.id}>, see <#${general.id}> and <!here> **now** :+1: <javascript:alert(1)|x>`);
  await composer.press("Enter");
  const mine = page.getByTestId("message").filter({ hasText: "Hi" }).last();
  await expect(mine).toHaveAttribute("data-message-id", /.+/);
  await expect(mine.locator("[data-mention=user]")).toHaveText("@Render 测试");
  await expect(mine.getByRole("link", { name: `#${general.name}` })).toHaveAttribute("href", `/w/${slug}/c/${general.id}`);
  await expect(mine.getByText("@here")).toBeVisible();
  await expect(mine.getByText("👍")).toBeVisible();
  await expect(mine.getByText("<javascript:alert(1)|x>")).toBeVisible();
  await expect(mine.locator("a[href^='javascript']")).toHaveCount(0);
  if (process.env.E2E_SCREENSHOT) await page.screenshot({ path: process.env.E2E_SCREENSHOT, fullPage: true });
});
