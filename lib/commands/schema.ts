/**
 * Slash commands: names, the registry's input, the run request, and the answer an app gives (in its
 * 3-second response or later through response_url), all validated with zod.
 */
import { z } from "zod";
import { ZId, zText } from "@/lib/validation";

/** Lower-case letters, digits, `_`, `-` and CJK ideographs, 1–32 characters, without the slash. */
export const COMMAND_NAME_RE = /^[a-z0-9_\-\u4e00-\u9fff]{1,32}$/;

/** Commands Parley runs itself; apps cannot register these names. */
export const BUILTIN_COMMANDS = [
  { command: "invite", description: "Add people to this channel", usageHint: "@name [@more …]" },
  { command: "leave", description: "Leave this channel", usageHint: "" },
  { command: "topic", description: "Set or show the channel topic", usageHint: "[new topic]" },
  { command: "mute", description: "Mute or unmute this channel (no unread badge)", usageHint: "" },
  { command: "remind", description: "Set a reminder", usageHint: "me [what] in [n] minutes|hours|days / at HH:MM / tomorrow" },
  { command: "status", description: "Set or clear your status", usageHint: "[:emoji:] [text] | clear" },
  { command: "help", description: "List the commands you can use", usageHint: "" },
] as const;

export type TBuiltinName = (typeof BUILTIN_COMMANDS)[number]["command"];

export function isBuiltinCommand(name: string): name is TBuiltinName {
  return BUILTIN_COMMANDS.some((c) => c.command === name);
}

/** A command name as typed ("/Deploy" or "deploy") → "deploy"; rejects anything else. */
export const ZCommandName = zText().pipe(
  z
    .string()
    .trim()
    .transform((s) => s.replace(/^\//, "").toLowerCase())
    .pipe(z.string().regex(COMMAND_NAME_RE, "must be 1–32 lower-case letters, digits, _ or - (Chinese characters are fine), without spaces")),
);

const ZHttpUrl = z
  .string()
  .trim()
  .max(2000, "must be at most 2,000 characters")
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "http:" || u.protocol === "https:") && !!u.hostname;
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL");

const ZDescription = zText().pipe(z.string().trim().max(200, "must be at most 200 characters"));
const ZUsageHint = zText().pipe(z.string().trim().max(100, "must be at most 100 characters"));

export const ZCreateCommand = z.object({
  botId: ZId,
  command: ZCommandName.refine((c) => !isBuiltinCommand(c), "is a built-in command and cannot be replaced"),
  url: ZHttpUrl,
  description: ZDescription.default(""),
  usageHint: ZUsageHint.default(""),
});

export const ZUpdateCommand = z
  .object({
    command: ZCommandName.refine((c) => !isBuiltinCommand(c), "is a built-in command and cannot be replaced").optional(),
    url: ZHttpUrl.optional(),
    description: ZDescription.optional(),
    usageHint: ZUsageHint.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");

/** What the composer sends when Enter is pressed on "/cmd args". */
export const ZRunCommand = z.object({
  channelId: ZId,
  text: zText().pipe(z.string().max(4000, "is too long (4,000 characters at most)").refine((s) => /^\s*\//.test(s), "must start with /")),
  threadRootId: ZId.optional(),
  /** The browser's `Date#getTimezoneOffset()` (minutes behind UTC), for "/remind … at 09:00". */
  tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).optional(),
});
export type TRunCommand = z.infer<typeof ZRunCommand>;

/**
 * An app's answer: JSON in the 3-second response or POSTed to response_url (Slack's fields).
 * `blocks` and `attachments` are checked in detail by lib/slack/blocks.ts when present.
 */
export const ZCommandResponse = z
  .object({
    text: zText().pipe(z.string().max(40_000)).optional(),
    blocks: z.array(z.unknown()).max(50).optional(),
    attachments: z.array(z.unknown()).max(100).optional(),
    response_type: z.enum(["ephemeral", "in_channel"]).optional(),
    replace_original: z.boolean().optional(),
    delete_original: z.boolean().optional(),
    thread_ts: z.string().optional(),
  })
  .passthrough();
export type TCommandResponse = z.infer<typeof ZCommandResponse>;

/** A command as the composer lists it. Admins also see which app answers it and where. */
export type TCommandInfo = {
  command: string;
  description: string;
  usageHint: string;
  builtin: boolean;
  id?: string;
  botId?: string;
  botName?: string;
  url?: string;
};

/** What POST /api/commands/run answers; replies themselves arrive as ephemeral messages. */
export type TRunResult = { ok: true; command: string } | { ok: false; command: string; error: string };
