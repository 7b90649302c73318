/**
 * Playwright fixtures shared by the journeys. Import `test` and `expect` from here, not from
 * @playwright/test:
 *
 *   const alice = await users.create({ name: "Alice" });
 *   await alice.apiLogin(page);          // page's context now carries alice's session cookie
 *   const bobContext = await browser.newContext();
 *   await (await users.create({ name: "Bob" })).login(bobContext);
 *
 * Users are created over HTTP (no database access from tests), with unique emails so that tests
 * never collide, even when the same server serves several workers.
 */
import { randomBytes } from "node:crypto";
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";

export type TCreateUserInput = { name?: string; email?: string; password?: string };

/** A person signed up for this test, with the password needed to sign in as them. */
export type TTestUser = {
  id: string;
  name: string;
  email: string;
  password: string;
  /** The user object the signup endpoint returned. */
  raw: Record<string, unknown>;
  /** Signs in on the given context's cookie jar (pages of that context are then signed in). */
  login(context: BrowserContext): Promise<void>;
  /** Signs in on the page's browser context. */
  apiLogin(page: Page): Promise<void>;
};

export type TUsersFixture = {
  /** Signs a new person up over `POST /api/auth/signup`. */
  create(input?: TCreateUserInput): Promise<TTestUser>;
  /** Everyone created in this test so far, in order. */
  readonly all: readonly TTestUser[];
};

export const DEFAULT_PASSWORD = "correct-horse-battery-staple";

/** Returns a short random suffix for unique names and emails. */
function getRandomSuffix(): string {
  return randomBytes(4).toString("hex");
}

/** Returns a unique, lowercase email for `name` (the server lowercases emails too). */
export function makeUniqueEmail(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "user";
  return `${slug}-${Date.now()}-${getRandomSuffix()}@example.test`;
}

/** Signs in through next-auth's credentials flow on `request`, whose cookie jar receives the session. */
async function signInWithCredentials(request: APIRequestContext, origin: string, email: string, password: string): Promise<void> {
  const csrfResponse = await request.get("/api/auth/csrf");
  expect(csrfResponse.ok(), `GET /api/auth/csrf → ${csrfResponse.status()}`).toBeTruthy();
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  // `json=true` makes next-auth answer with `{ url }` instead of redirecting. The Origin header is what
  // a browser would send; the server checks it on cookie-authenticated writes.
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    headers: { origin },
    maxRedirects: 0,
  });
  const body = await response.text();
  if (response.status() >= 400 || body.includes("error=")) {
    throw new Error(`Sign-in as ${email} failed: ${response.status()} ${body.slice(0, 300)}`);
  }
  const cookies = (await request.storageState()).cookies;
  if (!cookies.some((c) => c.name.includes("next-auth.session-token"))) {
    throw new Error(`Sign-in as ${email} returned ${response.status()} but set no session cookie: ${body.slice(0, 300)}`);
  }
}

export const test = base.extend<{ users: TUsersFixture }>({
  users: async ({ request, baseURL }, use) => {
    if (!baseURL) throw new Error("users fixture needs use.baseURL (set in playwright.config.ts)");
    const origin = new URL(baseURL).origin;
    const created: TTestUser[] = [];

    const create = async (input: TCreateUserInput = {}): Promise<TTestUser> => {
      const name = input.name ?? `User ${getRandomSuffix()}`;
      const email = input.email ?? makeUniqueEmail(name);
      const password = input.password ?? DEFAULT_PASSWORD;
      const response = await request.post("/api/auth/signup", { data: { name, email, password }, headers: { origin } });
      if (response.status() !== 201) {
        throw new Error(`POST /api/auth/signup for ${email} → ${response.status()}: ${(await response.text()).slice(0, 300)}`);
      }
      const { user } = (await response.json()) as { user: Record<string, unknown> & { id: string } };
      const login = (context: BrowserContext) => signInWithCredentials(context.request, origin, email, password);
      const person: TTestUser = {
        id: user.id,
        name: typeof user.name === "string" ? user.name : name,
        email: typeof user.email === "string" ? user.email : email,
        password,
        raw: user,
        login,
        apiLogin: (page: Page) => login(page.context()),
      };
      created.push(person);
      return person;
    };

    await use({ create, all: created });
    // Nothing to delete: every run starts its own server with a fresh database, and emails are unique.
  },
});

export { expect };
