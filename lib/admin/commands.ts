/**
 * Operator commands behind `npm run admin`. They run in whichever process holds the database: the
 * CLI itself, or the running server when the CLI reaches it through server/admin-bridge.ts.
 */
import { z } from "zod";
import { findChannelByName } from "@/lib/channels/repository";
import { AppError, notFound } from "@/lib/errors";
import { audit } from "@/lib/integrations/audit";
import { createBotIn } from "@/lib/integrations/bots";
import { findFirstOwnerId, isActiveMember } from "@/lib/integrations/repository";
import { ALL_SCOPES } from "@/lib/integrations/schema";
import { issueToken } from "@/lib/integrations/tokens";
import { createWebhookIn } from "@/lib/integrations/webhooks";
import { findWorkspaceBySlug } from "@/lib/workspaces/repository";
import { findUserByEmail } from "@/lib/users/repository";
import { signUp } from "@/lib/users/service";
import { ZEmail } from "@/lib/validation";
import { addMemberDirect, createWorkspace, listAllWorkspaces } from "@/lib/workspaces/service";
import { ZRole } from "@/lib/workspaces/schema";

type TFlags = Record<string, string | true>;

/** The workspace named by --workspace and the owner operator actions are recorded under. */
async function workspaceAndOwner(f: TFlags): Promise<{ workspaceId: string; ownerId: string }> {
  if (typeof f.workspace !== "string") throw new AppError("validation_failed", "--workspace is required");
  const ws = await findWorkspaceBySlug(f.workspace);
  if (!ws) throw notFound(`Workspace "${f.workspace}" not found`);
  const ownerId = await findFirstOwnerId(ws.id);
  if (!ownerId) throw new AppError("conflict", `Workspace "${f.workspace}" has no active owner`);
  return { workspaceId: ws.id, ownerId };
}

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
  "create-bot": {
    usage: "create-bot --workspace <slug> --name <name> [--description <text>] [--scopes chat:write,channels:history,...]",
    run: async (f: TFlags) => {
      const { workspaceId, ownerId } = await workspaceAndOwner(f);
      const scopes = typeof f.scopes === "string" ? f.scopes.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
      const created = await createBotIn(workspaceId, ownerId, { name: f.name, description: typeof f.description === "string" ? f.description : "", scopes });
      return { token: created.token, userId: created.bot.userId, botId: created.bot.id, signingSecret: created.signingSecret, bot: created.bot };
    },
  },
  "create-token": {
    usage: "create-token --workspace <slug> --email <email> [--name <label>]",
    run: async (f: TFlags) => {
      const { workspaceId, ownerId } = await workspaceAndOwner(f);
      const email = ZEmail.parse(f.email);
      const user = await findUserByEmail(email);
      if (!user) throw notFound(`No user with email ${email}`);
      if (!(await isActiveMember(workspaceId, user.id))) throw notFound(`${email} is not an active member of this workspace`);
      const issued = await issueToken({ workspaceId, userId: user.id, kind: "USER", name: typeof f.name === "string" ? f.name : "CLI token", scopes: [...ALL_SCOPES], createdById: ownerId });
      await audit({ workspaceId, actorId: null, action: "token.created", targetType: "token", targetId: issued.apiToken.id, details: { via: "cli", userId: user.id } });
      return { token: issued.token, tokenId: issued.apiToken.id, userId: user.id, scopes: issued.apiToken.scopes };
    },
  },
  "create-webhook": {
    usage: "create-webhook --workspace <slug> --channel <name> [--name <shown as>]",
    run: async (f: TFlags) => {
      const { workspaceId, ownerId } = await workspaceAndOwner(f);
      if (typeof f.channel !== "string") throw new AppError("validation_failed", "--channel is required");
      const channel = await findChannelByName(workspaceId, f.channel.replace(/^#/, "").toLowerCase());
      if (!channel) throw notFound(`No channel #${f.channel.replace(/^#/, "")} in this workspace`);
      const { webhook, url } = await createWebhookIn(workspaceId, ownerId, { channelId: channel.id, name: typeof f.name === "string" ? f.name : undefined });
      return { url, webhookId: webhook.id, channelId: channel.id, userId: webhook.userId };
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
