/**
 * Operator commands behind `npm run admin`. They run in whichever process holds the database: the
 * CLI itself, or the running server when the CLI reaches it through server/admin-bridge.ts.
 */
import { z } from "zod";
import { AppError, notFound } from "@/lib/errors";
import { findUserByEmail } from "@/lib/users/repository";
import { signUp } from "@/lib/users/service";
import { ZEmail } from "@/lib/validation";
import { addMemberDirect, createWorkspace, listAllWorkspaces } from "@/lib/workspaces/service";
import { ZRole } from "@/lib/workspaces/schema";

type TFlags = Record<string, string | true>;

const commands = {
  "create-user": {
    usage: "create-user --email <email> --password <password> --name <name>",
    run: async (f: TFlags) => ({ user: await signUp({ email: f.email, password: f.password, name: f.name }) }),
  },
  "create-workspace": {
    usage: "create-workspace --name <name> --slug <slug> --owner <email>",
    run: async (f: TFlags) => {
      const email = ZEmail.parse(f.owner);
      const owner = await findUserByEmail(email);
      if (!owner) throw notFound(`No user with email ${email}; create it first with create-user`);
      return { workspace: await createWorkspace({ actor: { userId: owner.id }, input: { name: f.name, slug: f.slug } }) };
    },
  },
  "add-member": {
    usage: "add-member --workspace <slug> --email <email> [--role owner|admin|member|guest]",
    run: async (f: TFlags) => {
      const email = ZEmail.parse(f.email);
      const role = ZRole.parse(typeof f.role === "string" ? f.role.toUpperCase() : "MEMBER");
      const user = await findUserByEmail(email);
      if (!user) throw notFound(`No user with email ${email}; create it first with create-user`);
      if (typeof f.workspace !== "string") throw new AppError("validation_failed", "--workspace is required");
      return { member: await addMemberDirect({ workspaceSlug: f.workspace, userId: user.id, role }) };
    },
  },
  "list-workspaces": {
    usage: "list-workspaces",
    run: async () => ({ workspaces: await listAllWorkspaces() }),
  },
} satisfies Record<string, { usage: string; run: (f: TFlags) => Promise<unknown> }>;

export type TAdminCommand = keyof typeof commands | "help";

/** The help object printed by `npm run admin -- help`. */
export function getAdminHelp(): { usage: string; commands: Record<string, string> } {
  return {
    usage: "npm run admin -- <command> [--flag value ...]",
    commands: { ...Object.fromEntries(Object.entries(commands).map(([k, v]) => [k, v.usage])), help: "help" },
  };
}

const ZFlags = z.record(z.string(), z.union([z.string(), z.literal(true)]));

/** Runs one operator command with its flags and returns the JSON-able result. */
export async function runAdminCommand(command: string, flags: unknown): Promise<unknown> {
  if (command === "help") return getAdminHelp();
  const cmd = commands[command as keyof typeof commands];
  if (!cmd) throw new AppError("validation_failed", `Unknown command "${command}". Run "npm run admin -- help" for the list.`);
  return cmd.run(ZFlags.parse(flags));
}
