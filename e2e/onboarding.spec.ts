/**
 * Onboarding journeys: signing up and in, creating a workspace, inviting people, managing members,
 * and the workspace dialogs. Two people means two browser contexts.
 *
 * Things the chat shell (built separately) renders are reached through its sidebar buttons; where
 * a journey only needs to know that someone arrived in a workspace, it checks the URL and the API.
 */
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { expect, makeUniqueEmail, test, type TTestUser } from "./fixtures";

const strongPassword = "correct-horse-battery-staple";

/** A unique, valid workspace slug. */
function makeSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Waits until React has hydrated the form: its submit button stays disabled until then, and typing
 * into server-rendered inputs before that would be lost.
 */
async function waitForForm(page: Page, submitName: string) {
  await expect(page.getByRole("button", { name: submitName })).toBeEnabled();
}

/**
 * Next's dev server compiles each route on its first visit, which can take longer than an
 * assertion's timeout on a small machine. Visit every route once, signed out and in, first.
 */
async function warmUpRoutes(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const hydrated = () => page.waitForFunction(() => "next" in window, undefined, { timeout: 120_000 });
  // A first compile can make the dev server reload the page mid-navigation (net::ERR_ABORTED): retry.
  const visit = async (path: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(path, { timeout: 120_000 });
        return await hydrated();
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  };
  for (const path of ["/login", "/signup", "/invite/warm-up-token-that-does-not-exist"]) await visit(path);
  // Sign in over HTTP: a UI sign-in here could be undone by a dev-server reload mid-compile.
  const warmUpUser = { name: "Warm-up", email: makeUniqueEmail("warm-up"), password: strongPassword };
  expect((await context.request.post("/api/auth/signup", { data: warmUpUser })).status()).toBe(201);
  const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await context.request.post("/api/auth/callback/credentials", { form: { csrfToken, email: warmUpUser.email, password: warmUpUser.password, json: "true" } });
  const slug = await createWorkspaceViaApi(context.request, "Warm-up");
  // API routes compile on first use too; any method compiles the route file, and a 4xx is fine here.
  const apiPaths = [
    `/api/workspaces/${slug}`,
    `/api/workspaces/${slug}/members`,
    `/api/workspaces/${slug}/members/warm-up`,
    `/api/workspaces/${slug}/invites`,
    `/api/workspaces/${slug}/invites/warm-up`,
    `/api/workspaces/${slug}/channels`,
    `/api/workspaces/${slug}/channels/browse`,
    `/api/workspaces/${slug}/dms`,
    "/api/invites/warm-up-token-that-does-not-exist",
    "/api/channels/warm-up",
    "/api/channels/warm-up/join",
    "/api/channels/warm-up/members",
    "/api/me",
  ];
  for (const path of apiPaths) await context.request.get(path, { timeout: 120_000 });
  for (const path of ["/workspaces", "/profile", `/w/${slug}/settings`, `/w/${slug}`, "/"]) await visit(path);
  await context.close();
}

/** The /signup form. */
class SignupPage {
  constructor(readonly page: Page) {}

  async fill(person: { name: string; email: string; password: string }) {
    await waitForForm(this.page, "Create account");
    await this.page.getByLabel("Full name").fill(person.name);
    await this.page.getByLabel("Email").fill(person.email);
    await this.page.getByLabel("Password", { exact: true }).fill(person.password);
  }

  async submit() {
    await this.page.getByRole("button", { name: "Create account" }).click();
  }
}

/** The /login form. */
class LoginPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/login");
  }

  async signIn(email: string, password: string) {
    await waitForForm(this.page, "Sign in");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password", { exact: true }).fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}

/** /w/<slug>/settings. */
class SettingsPage {
  constructor(
    readonly page: Page,
    readonly slug: string,
  ) {}

  async goto() {
    await this.page.goto(`/w/${this.slug}/settings`);
    await expect(this.page.getByRole("heading", { name: "Members" })).toBeVisible();
  }

  /** Creates an invite link and returns its full URL as shown. */
  async createInviteLink(): Promise<string> {
    await this.page.getByRole("button", { name: "Create invite link" }).click();
    const link = this.page.getByLabel("Invite link", { exact: true });
    await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    return link.inputValue();
  }

  memberRow(name: string) {
    return this.page.getByRole("row").filter({ hasText: name });
  }
}

/** Creates a workspace over the API as the person signed in on `request`'s context. */
async function createWorkspaceViaApi(request: APIRequestContext, name: string): Promise<string> {
  const slug = makeSlug("ws");
  const response = await request.post("/api/workspaces", { data: { name, slug } });
  expect(response.status(), await response.text()).toBe(201);
  return slug;
}

/** Creates an invite over the API; returns its token. */
async function createInviteViaApi(request: APIRequestContext, slug: string): Promise<string> {
  const response = await request.post(`/api/workspaces/${slug}/invites`, { data: {} });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { token: string }).token;
}

/** Signs `user` in on a fresh context. */
async function newSignedInContext(browser: Browser, user: TTestUser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await user.login(context);
  return context;
}

/** Owner A with a workspace, and member B who joined it by invite; each signed in on their own context. */
async function setUpTwoPeople(browser: Browser, users: { create: (input?: { name?: string }) => Promise<TTestUser> }, names: { a: string; b: string }) {
  const owner = await users.create({ name: names.a });
  const member = await users.create({ name: names.b });
  const ownerContext = await newSignedInContext(browser, owner);
  const memberContext = await newSignedInContext(browser, member);
  const slug = await createWorkspaceViaApi(ownerContext.request, `Team of ${names.a}`);
  const token = await createInviteViaApi(ownerContext.request, slug);
  const accepted = await memberContext.request.post(`/api/invites/${token}`);
  expect(accepted.ok(), await accepted.text()).toBeTruthy();
  return { owner, member, ownerContext, memberContext, slug };
}

test.describe("onboarding", () => {
  test.beforeAll(async ({ browser }) => {
    test.setTimeout(300_000);
    await warmUpRoutes(browser);
  });

  test("sign up, create a workspace, invite a teammate who signs up through the link and lands in it", async ({ page, browser }) => {
    // Person A signs up through the UI.
    const alice = { name: "Alice 陈", email: makeUniqueEmail("alice"), password: strongPassword };
    await page.goto("/signup");
    const aliceSignup = new SignupPage(page);
    await aliceSignup.fill(alice);
    await aliceSignup.submit();
    await expect(page).toHaveURL(/\/workspaces$/);
    await expect(page.getByText("You are not in any workspace yet")).toBeVisible();

    // A Chinese workspace name has no Latin letters: the URL falls back to team-xxxx.
    const workspaceName = "设计团队";
    await page.getByLabel("Workspace name").fill(workspaceName);
    const slugInput = page.getByLabel("Workspace URL");
    await expect(slugInput).toHaveValue(/^team-[a-z0-9]{4}$/);
    // Make it unique across runs sharing a server, by typing our own.
    const slug = makeSlug("design");
    await slugInput.fill(slug);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}(/|$)`));

    // A creates an invite link in the settings.
    const settings = new SettingsPage(page, slug);
    await settings.goto();
    const inviteUrl = await settings.createInviteLink();
    await expect(page.getByRole("row").filter({ hasText: "Anyone with the link" }).getByText("Pending")).toBeVisible();

    // Person B, in another browser context, opens the link signed out and creates an account.
    const bobContext = await browser.newContext();
    const bobPage = await bobContext.newPage();
    await bobPage.goto(inviteUrl);
    await expect(bobPage.getByRole("heading", { name: workspaceName })).toBeVisible();
    await expect(bobPage.getByText(/Alice 陈\s*invited you to join/)).toBeVisible();
    await bobPage.getByRole("link", { name: "Create an account" }).click();
    await expect(bobPage).toHaveURL(/\/signup\?callbackUrl=%2Finvite%2F/);
    const bob = { name: "Bob 王", email: makeUniqueEmail("bob"), password: strongPassword };
    const bobSignup = new SignupPage(bobPage);
    await bobSignup.fill(bob);
    await bobSignup.submit();

    // Back on the invite, now signed in: join.
    await expect(bobPage).toHaveURL(/\/invite\//);
    await bobPage.getByRole("button", { name: `Join ${workspaceName}` }).click();
    await expect(bobPage).toHaveURL(new RegExp(`/w/${slug}(/|$)`));
    const bobWorkspaces = await bobContext.request.get("/api/workspaces");
    const { workspaces } = (await bobWorkspaces.json()) as { workspaces: { slug: string; role: string }[] };
    expect(workspaces).toContainEqual(expect.objectContaining({ slug, role: "MEMBER" }));

    // A sees B among the members, and the invite marked as accepted.
    await settings.goto();
    await expect(settings.memberRow(bob.name)).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: "Anyone with the link" }).getByText("Accepted")).toBeVisible();
    await bobContext.close();
  });

  test("the app icon is linked by its content hash and cached for good (switching conversations does not fetch it again)", async ({ page }) => {
    await page.goto("/login");
    const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
    expect(href).toMatch(/^\/icon\.svg\?icon\.[\w-]+\.svg$/);
    const response = await page.request.get(href!);
    expect(response.ok()).toBeTruthy();
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  });

  test("the page's scripts come compressed with brotli and are cached for good", async ({ page }) => {
    await page.goto("/login");
    const src = await page.locator('script[src^="/_next/static/chunks/"]').first().getAttribute("src");
    // The first requests for a script start its compression (Next answers them meanwhile).
    await expect
      .poll(async () => (await page.request.get(src!, { headers: { "Accept-Encoding": "gzip, deflate, br" } })).headers()["content-encoding"])
      .toBe("br");
    const response = await page.request.get(src!, { headers: { "Accept-Encoding": "gzip, deflate, br" } });
    expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(response.headers()["content-type"]).toMatch(/^application\/javascript/);
    expect((await response.text()).length).toBeGreaterThan(100);
  });

  test("workspace settings and the profile are fetched when pointed at, not on every page load, and open", async ({ page, users }) => {
    const person = await users.create({ name: "Peggy 佩" });
    await person.apiLogin(page);
    const slug = await createWorkspaceViaApi(page.request, "Prefetch 预取");
    const pageFetches: string[] = [];
    page.on("request", (request) => {
      if (request.headers()["rsc"] === "1") pageFetches.push(new URL(request.url()).pathname);
    });
    await page.goto(`/w/${slug}`);
    const sidebar = page.getByRole("navigation", { name: "Workspace" });
    await expect(sidebar.getByRole("link", { name: "Workspace settings" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(pageFetches.filter((path) => path.endsWith("/settings") || path === "/profile")).toEqual([]);

    const prefetched = page.waitForRequest((request) => request.headers()["rsc"] === "1" && new URL(request.url()).pathname === `/w/${slug}/settings`);
    await sidebar.getByRole("link", { name: "Workspace settings" }).hover();
    await prefetched;
    await sidebar.getByRole("link", { name: "Workspace settings" }).click();
    await expect(page).toHaveURL(new RegExp(`/w/${slug}/settings$`));
    await page.goBack();
    await page.getByRole("navigation", { name: "Workspace" }).getByTitle("Your profile").click();
    await expect(page).toHaveURL(/\/profile$/);
  });

  test("a wrong password shows the generic error and keeps the email typed", async ({ page, users }) => {
    const carol = await users.create({ name: "Carol" });
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(carol.email, "not-the-password");
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Incorrect email or password");
    await expect(page.getByLabel("Email")).toHaveValue(carol.email);
    await expect(page).toHaveURL(/\/login/);

    // The right password then works and keeps the callback.
    await page.goto("/login?callbackUrl=%2Fprofile");
    await login.signIn(carol.email, carol.password);
    await expect(page).toHaveURL(/\/profile$/);
  });

  test("signing up with an email that is taken shows it next to the email and keeps what was typed", async ({ page, users }) => {
    const dave = await users.create({ name: "Dave" });
    await page.goto("/signup");
    const signup = new SignupPage(page);
    await signup.fill({ name: "另一个 Dave", email: dave.email, password: strongPassword });
    await signup.submit();
    await expect(page.getByText("An account with this email already exists")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Full name")).toHaveValue("另一个 Dave");
    await expect(page.getByLabel("Password", { exact: true })).toHaveValue(strongPassword);
  });

  test("an invite that was already used says so", async ({ browser, users }) => {
    const { ownerContext, memberContext, slug } = await setUpTwoPeople(browser, users, { a: "Erin", b: "Frank" });
    const token = await createInviteViaApi(ownerContext.request, slug);
    const third = await users.create({ name: "Grace" });
    const thirdContext = await newSignedInContext(browser, third);
    expect((await thirdContext.request.post(`/api/invites/${token}`)).ok()).toBeTruthy();

    // Someone else opens the same link: used, and no Join button.
    const page = await memberContext.newPage();
    await page.goto(`/invite/${token}`);
    await expect(page.getByText("This invite has already been used")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Join / })).toHaveCount(0);
    await Promise.all([ownerContext.close(), memberContext.close(), thirdContext.close()]);
  });

  test("an admin deactivates a member, whose next page load lands on /login", async ({ browser, users }) => {
    const { member, ownerContext, memberContext, slug } = await setUpTwoPeople(browser, users, { a: "Heidi", b: "Ivan 李" });
    const memberPage = await memberContext.newPage();
    const memberSettings = new SettingsPage(memberPage, slug);
    await memberSettings.goto();
    // Members see the list read-only.
    await expect(memberPage.getByRole("button", { name: /^Deactivate / })).toHaveCount(0);

    const ownerPage = await ownerContext.newPage();
    const ownerSettings = new SettingsPage(ownerPage, slug);
    await ownerSettings.goto();
    await ownerPage.getByRole("button", { name: `Deactivate ${member.name}` }).click();
    const confirm = ownerPage.getByRole("dialog", { name: `Deactivate ${member.name}?` });
    await confirm.getByRole("button", { name: "Deactivate", exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(ownerSettings.memberRow(member.name).getByText("Deactivated")).toBeVisible();
    // The list is searched on the server: admins find deactivated people too.
    await ownerPage.getByLabel("Search members").fill("李");
    await expect(ownerPage.getByRole("table", { name: "Members" }).locator("tbody tr")).toHaveCount(1);
    await expect(ownerSettings.memberRow(member.name).getByText("Deactivated")).toBeVisible();

    await memberPage.reload();
    await expect(memberPage).toHaveURL(/\/login\?callbackUrl=/);
    await Promise.all([ownerContext.close(), memberContext.close()]);
  });

  test("signing out from the workspace sidebar ends the session, and the workspace then asks to sign in", async ({ page, users }) => {
    const person = await users.create({ name: "Sybil 司" });
    await person.apiLogin(page);
    const slug = await createWorkspaceViaApi(page.request, "Sign-out 退出");
    await page.goto(`/w/${slug}`);
    await page.getByRole("navigation", { name: "Workspace" }).getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    // The session cookie is gone: the API refuses this browser, and the workspace sends it to sign in.
    expect((await page.request.get("/api/me")).status()).toBe(401);
    await page.goto(`/w/${slug}`);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  });

  test("a private channel created by one person is not in another's browse dialog", async ({ browser, users }) => {
    const { ownerContext, memberContext, slug } = await setUpTwoPeople(browser, users, { a: "Judy", b: "Mallory" });
    const suffix = Date.now().toString(36);
    const privateName = `机密-${suffix}`;
    const publicName = `公开-${suffix}`;

    // A creates both channels through the create-channel dialog in the workspace sidebar.
    const ownerPage = await ownerContext.newPage();
    await ownerPage.goto(`/w/${slug}`);
    for (const [name, kind] of [
      [privateName, "Private"],
      [publicName, "Public"],
    ] as const) {
      await ownerPage.getByRole("button", { name: "Create channel" }).click();
      const dialog = ownerPage.getByRole("dialog", { name: "Create a channel" });
      await dialog.getByLabel("Name").fill(name);
      await expect(dialog.getByText(`#${name}`)).toBeVisible();
      await dialog.getByRole("radio", { name: new RegExp(`^${kind}`) }).check();
      await dialog.getByRole("button", { name: "Create channel" }).click();
      await expect(dialog).toBeHidden();
    }

    // B browses: the public channel is there, the private one is not.
    const memberPage = await memberContext.newPage();
    await memberPage.goto(`/w/${slug}`);
    await memberPage.getByRole("button", { name: /browse channels/i }).click();
    const browse = memberPage.getByRole("dialog", { name: "Browse channels" });
    await expect(browse.getByText(`#${publicName}`)).toBeVisible();
    await expect(browse.getByText(`#${privateName}`)).toHaveCount(0);
    // Searching for it finds nothing either.
    await browse.getByLabel("Search channels").fill("机密");
    await expect(browse.getByText(/No channels match/)).toBeVisible();

    // And B can join the public one from the dialog.
    await browse.getByLabel("Search channels").fill("公开");
    await browse.getByRole("button", { name: `Join #${publicName}` }).click();
    await expect(memberPage).toHaveURL(new RegExp(`/w/${slug}/c/`));
    await Promise.all([ownerContext.close(), memberContext.close()]);
  });

  test("channel details: a taken name is shown by the field, the topic saves, an admin names a poster, leaving goes back to the workspace", async ({ browser, users }) => {
    const { member, ownerContext, memberContext, slug } = await setUpTwoPeople(browser, users, { a: "Olivia", b: "Peggy 彭" });
    const created = await ownerContext.request.post(`/api/workspaces/${slug}/channels`, { data: { name: "公告", kind: "ANNOUNCEMENT", memberIds: [member.id] } });
    expect(created.status(), await created.text()).toBe(201);
    const { channel } = (await created.json()) as { channel: { id: string } };

    const page = await ownerContext.newPage();
    await page.goto(`/w/${slug}/c/${channel.id}`);
    await page.getByRole("button", { name: "Channel details", exact: true }).click();
    const details = page.getByRole("dialog", { name: /#公告/ });

    // Renaming to a taken name keeps the draft and says why, next to the field.
    await details.getByRole("button", { name: "Edit channel name" }).click();
    await details.getByLabel("Channel name").fill("General");
    await details.getByRole("button", { name: "Save" }).click();
    await expect(details.getByText("A channel named #general already exists")).toBeVisible();
    await expect(details.getByLabel("Channel name")).toHaveValue("General");
    await details.getByRole("button", { name: "Cancel" }).click();

    await details.getByRole("button", { name: "Edit topic" }).click();
    await details.getByLabel("Topic").fill("每周五 发布");
    await details.getByRole("button", { name: "Save" }).click();
    await expect(details.getByText("每周五 发布")).toBeVisible();

    await details.getByRole("tab", { name: /Members/ }).click();
    await details.getByRole("checkbox", { name: `${member.name} can post` }).check();
    await expect
      .poll(async () => {
        const response = await ownerContext.request.get(`/api/channels/${channel.id}/members`);
        const { members } = (await response.json()) as { members: { userId: string; isPoster: boolean }[] };
        return members.find((m) => m.userId === member.id)?.isPoster;
      })
      .toBe(true);

    await details.getByRole("tab", { name: "About" }).click();
    await details.getByRole("button", { name: "Leave channel" }).click();
    await page.getByRole("dialog", { name: "Leave this channel?" }).getByRole("button", { name: "Leave channel" }).click();
    await expect(page).not.toHaveURL(new RegExp(channel.id));
    await expect(page).toHaveURL(new RegExp(`/w/${slug}(/|$)`));
    await Promise.all([ownerContext.close(), memberContext.close()]);
  });

  test("the people pickers find teammates as one types: a direct message, then adding someone to a channel", async ({ browser, users }) => {
    const { ownerContext, memberContext, slug } = await setUpTwoPeople(browser, users, { a: "Quinn", b: "Rupert 饶" });
    const third = await users.create({ name: "Sam 孙" });
    const thirdContext = await newSignedInContext(browser, third);
    expect((await thirdContext.request.post(`/api/invites/${await createInviteViaApi(ownerContext.request, slug)}`)).ok()).toBeTruthy();
    const created = await ownerContext.request.post(`/api/workspaces/${slug}/channels`, { data: { name: "picker-test" } });
    expect(created.status(), await created.text()).toBe(201);
    const { channel } = (await created.json()) as { channel: { id: string } };

    const page = await ownerContext.newPage();
    // The pickers ask the server as one types; nothing here reads the whole member list.
    const memberReads: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (/^\/api\/workspaces\/[^/]+\/members$/.test(url.pathname)) memberReads.push(url.search);
    });
    await page.goto(`/w/${slug}/c/${channel.id}`);
    await page.getByRole("button", { name: "New direct message" }).click();
    const dm = page.getByRole("dialog", { name: "New message" });
    await dm.getByLabel("Search people to message").fill("饶");
    await expect(dm.getByRole("checkbox")).toHaveCount(1);
    await dm.getByRole("checkbox", { name: /Rupert 饶/ }).check();
    // Searching on keeps the choice.
    await dm.getByLabel("Search people to message").fill("SAM");
    await expect(dm.getByRole("checkbox", { name: /Sam 孙/ })).toBeVisible();
    await expect(dm.getByRole("checkbox", { name: /Rupert/ })).toHaveCount(0);
    await expect(dm.getByRole("button", { name: "Remove Rupert 饶" })).toBeVisible();
    await dm.getByLabel("Search people to message").fill("nobody-like-this");
    await expect(dm.getByText("No one matches “nobody-like-this”.")).toBeVisible();
    await dm.getByRole("button", { name: "Start message" }).click();
    await expect(dm).toBeHidden();
    await expect(page.getByTestId("channel-title")).toHaveText("Rupert 饶");

    await page.goto(`/w/${slug}/c/${channel.id}`);
    await page.getByRole("button", { name: "Channel details", exact: true }).click();
    const details = page.getByRole("dialog", { name: /#picker-test/ });
    await details.getByRole("tab", { name: /Members/ }).click();
    await details.getByRole("button", { name: "Add people" }).click();
    // Only people not in the channel yet are offered (Quinn is in it).
    await expect(details.getByRole("checkbox", { name: /Rupert 饶/ })).toBeVisible();
    await expect(details.getByRole("checkbox", { name: /Quinn/ })).toHaveCount(0);
    await details.getByLabel("Search people to add").fill("孙");
    await details.getByRole("checkbox", { name: /Sam 孙/ }).check();
    await details.getByRole("button", { name: "Add 1 person" }).click();
    await expect(details.getByRole("tab", { name: "Members (2)" })).toBeVisible();
    // The members tab finds people as well.
    const list = details.getByRole("list", { name: "Channel members" });
    await expect(list.getByRole("listitem")).toHaveCount(2);
    await details.getByLabel("Find members").fill("SAM");
    await expect(list.getByRole("listitem")).toHaveCount(1);
    await expect(list).toContainText("Sam 孙");

    expect(memberReads.length).toBeGreaterThan(0);
    expect(memberReads.filter((search) => !/^\?(q|ids)=/.test(search))).toEqual([]);
    await Promise.all([ownerContext.close(), memberContext.close(), thirdContext.close()]);
  });
});
