/**
 * Integrations journey: an admin creates a bot on the Integrations page and sees its token once, the
 * token works against the Web API; rotating it makes the old one `token_revoked`; a webhook created
 * for #general posts a message that appears in the channel; a member creates a personal token in the
 * profile and revokes it.
 */
import { expect as baseExpect, test } from "./fixtures";

// Every step waits on the server; on a shared 2-core machine under load a write can take tens of seconds.
const expect = baseExpect.configure({ timeout: 60_000 });

// As in chat.spec.ts: the dev server's HMR socket only accepts the host it was started with.
const BASE_URL = `http://localhost:${process.env.E2E_PORT}`;
test.use({ baseURL: BASE_URL });

/** Calls Parley's Slack-compatible Web API with a token, the way a bot would. */
async function authTest(token: string): Promise<{ ok: boolean; error?: string; user_id?: string; bot_id?: string }> {
  const res = await fetch(`${BASE_URL}/api/auth.test`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as { ok: boolean; error?: string };
}

test("integrations: bot token shown once and rotated, webhook into #general, personal token in the profile", async ({ page, browser, users }) => {
  test.setTimeout(480_000);
  const admin = await users.create({ name: "管理员 Admin" });
  await admin.apiLogin(page);
  const request = page.context().request;
  const slug = `integ-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  expect((await request.post("/api/workspaces", { data: { name: "集成 Integrations", slug }, headers: { origin: BASE_URL } })).ok()).toBeTruthy();
  // Warm up the routes the journey uses (the dev server compiles each on first use).
  for (const p of ["bots", "webhooks", "audit", "commands", "tokens", "members"]) expect((await request.get(`/api/workspaces/${slug}/${p}`)).ok(), p).toBeTruthy();
  const { channels } = (await (await request.get(`/api/workspaces/${slug}/channels`)).json()) as { channels: { id: string; isGeneral: boolean; name: string }[] };
  const general = channels.find((c) => c.isGeneral)!;

  await page.goto(`/w/${slug}/settings/integrations`, { timeout: 180_000 });
  await expect(page.getByRole("heading", { name: "Integrations", exact: true, level: 1 })).toBeVisible({ timeout: 120_000 });
  await expect(page.getByText("No bots yet.")).toBeVisible({ timeout: 60_000 });

  // Create a bot: the name is required (client check), then the token and signing secret appear once.
  await page.getByRole("button", { name: "Create bot" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a bot" });
  await expect(dialog.getByRole("checkbox", { name: /chat:write\.public/ })).not.toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: /^chat:write Post messages/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Create bot" }).click();
  await expect(dialog.getByText("Name is required")).toBeVisible();
  await dialog.getByLabel("Name", { exact: true }).fill("部署机器人");
  await dialog.getByLabel("Description", { exact: true }).fill("发布新版本到生产环境");
  await dialog.getByRole("button", { name: "Create bot" }).click();
  const created = page.getByRole("dialog", { name: "Bot created" });
  await expect(created.getByText("you won’t see them again")).toBeVisible();
  await expect(created.getByRole("button", { name: "Copy bot token" })).toBeVisible();
  await expect(created.getByRole("button", { name: "Copy signing secret" })).toBeVisible();
  const token = await created.getByLabel("Bot token", { exact: true }).inputValue();
  expect(token).toMatch(/^xoxb-/);
  expect(await created.getByLabel("Signing secret", { exact: true }).inputValue()).toMatch(/^[0-9a-f]{40}$/);
  expect(await authTest(token)).toMatchObject({ ok: true });
  await created.getByRole("button", { name: "I have copied them — done" }).click();
  await expect(created).toHaveCount(0);

  // The bot is listed; its token is nowhere on the page any more.
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "部署机器人" }) });
  await expect(card).toContainText("发布新版本到生产环境");
  await expect(card).toContainText("Events off");
  expect(await page.content()).not.toContain(token);

  // Events: an unreachable URL fails verification with the server's reason, and nothing is stored.
  await card.getByRole("button", { name: "Events", exact: true }).click();
  await card.getByLabel("Request URL", { exact: true }).fill("http://127.0.0.1:9/events");
  await card.getByRole("checkbox", { name: /message\.channels/ }).check();
  await card.getByRole("button", { name: "Save events settings" }).click();
  await expect(card.getByText(/The events URL did not pass verification/)).toBeVisible();
  await expect(card).toContainText("Events off");

  // Slash commands for the bot: add one (Chinese name), a built-in name is refused, remove it.
  await card.getByRole("button", { name: "Slash commands", exact: true }).click();
  const commandForm = card.getByRole("form", { name: "Add a slash command to 部署机器人" });
  await commandForm.getByLabel("Command", { exact: true }).fill("/部署");
  await commandForm.getByLabel("Request URL", { exact: true }).fill("https://example.test/commands");
  await commandForm.getByLabel("Description", { exact: true }).fill("部署到生产环境");
  await commandForm.getByRole("button", { name: "Add command" }).click();
  const commandList = card.getByRole("list", { name: "Slash commands of 部署机器人" });
  await expect(commandList).toContainText("/部署");
  await expect(commandList).toContainText("部署到生产环境");
  await expect(commandForm.getByRole("status")).toHaveText("✓ /部署 added.");
  await commandForm.getByLabel("Command", { exact: true }).fill("topic");
  await commandForm.getByLabel("Request URL", { exact: true }).fill("https://example.test/commands");
  await commandForm.getByRole("button", { name: "Add command" }).click();
  await expect(commandForm.getByText("is a built-in command and cannot be replaced")).toBeVisible();
  await commandList.getByRole("button", { name: "Remove /部署" }).click();
  await page.getByRole("dialog", { name: "Remove /部署?" }).getByRole("button", { name: "Remove command" }).click();
  await expect(card.getByText("No slash commands yet.")).toBeVisible();

  // Edit the description.
  await card.getByRole("button", { name: "Edit 部署机器人" }).click();
  const edit = page.getByRole("dialog", { name: "Edit 部署机器人" });
  await edit.getByLabel("Description", { exact: true }).fill("只在 #general 发布");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  await expect(card).toContainText("只在 #general 发布");

  // Rotate (with a confirmation): the new token is shown once; the old one is refused.
  await card.getByRole("button", { name: "Rotate token of 部署机器人" }).click();
  await page.getByRole("dialog", { name: "Rotate the token of 部署机器人?" }).getByRole("button", { name: "Rotate token" }).click();
  const rotated = page.getByRole("dialog", { name: "New token" });
  const newToken = await rotated.getByLabel("Bot token", { exact: true }).inputValue();
  expect(newToken).toMatch(/^xoxb-/);
  expect(newToken).not.toBe(token);
  expect(await authTest(token)).toMatchObject({ ok: false, error: "token_revoked" });
  expect(await authTest(newToken)).toMatchObject({ ok: true });
  await rotated.getByRole("button", { name: "I have copied it — done" }).click();

  // An incoming webhook for #general: the URL is shown once; a POST to it shows up in the channel.
  const hookForm = page.getByRole("form", { name: "Create an incoming webhook" });
  await expect(hookForm.getByLabel("Channel", { exact: true })).toHaveValue(general.id);
  await hookForm.getByLabel("Name", { exact: true }).fill("告警 Alerts");
  await hookForm.getByRole("button", { name: "Create webhook" }).click();
  const hookUrlField = page.getByLabel("Webhook URL", { exact: true });
  await expect(hookUrlField).toBeVisible();
  const hookPath = new URL(await hookUrlField.inputValue()).pathname;
  expect(hookPath).toMatch(/^\/hooks\/[^/]+\/[^/]+$/);
  const webhooksTable = page.getByRole("table", { name: "Incoming webhooks" });
  await expect(webhooksTable).toContainText("告警 Alerts");
  await expect(webhooksTable).toContainText(`#${general.name}`);

  // The audit log shows who did what.
  const audit = page.getByRole("table", { name: "Audit log, newest first" });
  await expect(audit).toContainText("Created a webhook");
  await expect(audit).toContainText("Rotated a bot token");
  await expect(audit).toContainText("管理员 Admin");

  const posted = await fetch(`${BASE_URL}${hookPath}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "服务器磁盘快满了 disk almost full" }) });
  expect([posted.status, await posted.text()]).toEqual([200, "ok"]);
  await page.goto(`/w/${slug}/c/${general.id}`);
  const message = page.getByTestId("message").filter({ hasText: "服务器磁盘快满了 disk almost full" });
  await expect(message).toBeVisible({ timeout: 60_000 });
  await expect(message).toContainText("告警 Alerts");

  // A member: no admin parts on the Integrations page; a personal token in the profile, then revoked.
  const memberContext = await browser.newContext({ baseURL: BASE_URL });
  const member = await users.create({ name: "成员 Member" });
  await member.login(memberContext);
  const invite = (await (await request.post(`/api/workspaces/${slug}/invites`, { data: {}, headers: { origin: BASE_URL } })).json()) as { token: string };
  expect((await memberContext.request.post(`/api/invites/${invite.token}`, { headers: { origin: BASE_URL } })).ok()).toBeTruthy();
  const memberPage = await memberContext.newPage();
  await memberPage.goto(`/w/${slug}/settings/integrations`);
  await expect(memberPage.getByText("Only workspace owners and admins manage integrations")).toBeVisible({ timeout: 60_000 });
  await expect(memberPage.getByRole("button", { name: "Create bot" })).toHaveCount(0);

  await memberPage.goto("/profile");
  const tokens = memberPage.getByRole("region", { name: "API tokens" });
  await tokens.getByLabel("Token name", { exact: true }).fill("我的脚本");
  await tokens.getByRole("button", { name: "Create token" }).click();
  const personal = await tokens.getByLabel("Personal token", { exact: true }).inputValue();
  expect(personal).toMatch(/^xoxp-/);
  await expect(tokens.getByText("you won’t see it again")).toBeVisible();
  expect(await authTest(personal)).toMatchObject({ ok: true, user_id: member.id });
  const row = tokens.getByRole("listitem").filter({ hasText: "我的脚本" });
  await expect(row).toContainText(`…${personal.slice(-4)}`);
  await expect(row).toContainText("never used");
  await row.getByRole("button", { name: "Revoke token 我的脚本" }).click();
  await memberPage.getByRole("dialog", { name: "Revoke “我的脚本”?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("Revoked");
  expect(await authTest(personal)).toMatchObject({ ok: false, error: "token_revoked" });
  await memberContext.close();
});
