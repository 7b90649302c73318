/**
 * The admin CLI with no server running: it opens the configured database itself (a fresh PGlite
 * folder here, or this run's PostgreSQL database), prints one JSON object, and fails clearly.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const rid = () => randomBytes(5).toString("hex");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-cli-"));

function admin(args: string[]) {
  return run(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/admin.ts", ...args], {
    env: { ...process.env, PARLEY_DATA_DIR: dataDir, NODE_ENV: "development" },
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Each command is a fresh process that opens (and on first use migrates) the database: seconds each.
describe("admin CLI", { timeout: 180_000 }, () => {
  it("prints help as JSON", async () => {
    const { stdout } = await admin(["help"]);
    const help = JSON.parse(stdout);
    expect(Object.keys(help.commands)).toEqual(expect.arrayContaining(["create-user", "create-workspace", "add-member", "list-workspaces", "help"]));
  });

  it("creates users, a workspace and members, one JSON object per command", async () => {
    const owner = `owner-${rid()}@example.test`;
    const guest = `guest-${rid()}@example.test`;
    const slug = `ops-${rid()}`;
    const created = await admin(["create-user", "--email", owner, "--password", "correct horse battery", "--name", "Owner 老板"]);
    expect(JSON.parse(created.stdout).user).toMatchObject({ email: owner, name: "Owner 老板" });
    expect(created.stdout.trim().split("\n")).toHaveLength(1);
    await admin(["create-user", `--email=${guest}`, "--password=correct horse battery", "--name=Guest"]);
    const ws = JSON.parse((await admin(["create-workspace", "--name", "Ops", "--slug", slug, "--owner", owner])).stdout);
    expect(ws.workspace).toMatchObject({ slug, role: "OWNER" });
    const member = JSON.parse((await admin(["add-member", "--workspace", slug, "--email", guest, "--role", "guest"])).stdout);
    expect(member.member).toMatchObject({ email: guest, role: "GUEST", status: "ACTIVE" });
    const list = JSON.parse((await admin(["list-workspaces"])).stdout);
    expect(list.workspaces.find((w: { slug: string }) => w.slug === slug)).toMatchObject({ memberCount: 2 });
  });

  it("fails with a clear message on stderr and a non-zero exit", async () => {
    await expect(admin(["frobnicate"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("Unknown command"), stdout: "" });
    await expect(admin(["create-user", "--email", "not-an-email", "--password", "x", "--name", "n"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("email") });
    await expect(admin(["add-member", "--workspace", "no-such-ws", "--email", `nobody-${rid()}@example.test`])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("No user") });
    await expect(admin(["create-workspace", "--name", "X", "--slug", `x-${rid()}`, "--owner", `nobody-${rid()}@example.test`])).rejects.toMatchObject({ code: 1 });
  });
});
