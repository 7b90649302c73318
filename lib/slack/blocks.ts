/**
 * Slack Block Kit blocks and legacy attachments, as bots and incoming webhooks send them.
 *
 * Known block types (section, header, divider, context, image, actions, rich_text) are validated
 * with Slack's limits; unknown block and element types are kept as sent (Slack tooling adds new
 * ones all the time) and the UI shows a neutral "unsupported block" note for them. Objects keep
 * fields we do not know about for the same reason. Only http(s) URLs are accepted for images and
 * links. Error paths are relative to the array, so `slackValidationErrors` can name them the way
 * Slack does ("… [json-pointer:/blocks/0/text/text]") for `invalid_blocks` / `invalid_attachments`.
 */
import { z } from "zod";
import { emojiFromName } from "@/lib/emoji";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import type { TKnownBlockType } from "@/lib/slack/block-types";
import { mrkdwnToPlainText, type TNameResolvers } from "@/lib/slack/mrkdwn";
import { countChars } from "@/lib/text";
import { zText } from "@/lib/validation";

export const MAX_BLOCKS = 50;
export const MAX_ATTACHMENTS = 20;

/** Text with Slack's length limit, counted in characters (so Chinese counts like English). */
function zLimitedText(max: number, { allowEmpty = false } = {}) {
  return zText()
    .refine((s) => allowEmpty || s.trim().length > 0, "must not be empty")
    .refine((s) => countChars(s) <= max, `must be at most ${max} characters`);
}

/** Whether `url` is an absolute http(s) URL. */
export function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && !!parsed.hostname;
  } catch {
    return false;
  }
}

const ZHttpUrl = z
  .string({ error: "must be a URL" })
  .max(3000, "must be at most 3000 characters")
  .refine(isHttpUrl, "must be an http(s) URL");

/** Attachments from older tooling often carry "" for "none". */
const ZOptionalHttpUrl = z.union([z.literal(""), ZHttpUrl]).optional();

const ZBlockId = z.string().max(255, "must be at most 255 characters").optional();

function zTextObject(max: number, { plainOnly = false } = {}) {
  return z.looseObject({
    type: plainOnly
      ? z.literal("plain_text", { error: 'must be "plain_text"' })
      : z.enum(["plain_text", "mrkdwn"], { error: 'must be "plain_text" or "mrkdwn"' }),
    text: z.string({ error: "must be a string" }).pipe(zLimitedText(max)),
    emoji: z.boolean({ error: "must be true or false" }).optional(),
    verbatim: z.boolean({ error: "must be true or false" }).optional(),
  });
}

export type TTextObject = z.infer<ReturnType<typeof zTextObject>>;

/**
 * An object picked by its `type`: known types are checked with their schema; unknown ones are
 * kept as they are when `allowUnknown`, else refused.
 */
function zByType<T extends Record<string, z.ZodType>>(known: T, what: string, allowUnknown: boolean) {
  return z.looseObject({ type: z.string({ error: `must have a "type"` }).min(1, `must have a "type"`) }).transform((value, ctx) => {
    const schema = known[value.type];
    if (!schema) {
      if (allowUnknown) return value as { type: string; [key: string]: unknown };
      ctx.addIssue({ code: "custom", message: `"${value.type}" is not a supported ${what} type here (expected ${Object.keys(known).join(", ")})`, path: ["type"] });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data as z.output<T[keyof T]>;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

export const ZImageElement = z.looseObject({
  type: z.literal("image"),
  image_url: ZHttpUrl,
  alt_text: z.string({ error: "is required" }).pipe(zLimitedText(2000)),
});

export const ZButtonElement = z.looseObject({
  type: z.literal("button"),
  text: zTextObject(75, { plainOnly: true }),
  action_id: z.string().max(255, "must be at most 255 characters").optional(),
  url: ZHttpUrl.optional(),
  value: z.string().max(2000, "must be at most 2000 characters").optional(),
  style: z.enum(["primary", "danger"], { error: 'must be "primary" or "danger"' }).optional(),
  accessibility_label: z.string().max(75, "must be at most 75 characters").optional(),
});

export const ZSectionBlock = z
  .looseObject({
    type: z.literal("section"),
    block_id: ZBlockId,
    text: zTextObject(3000).optional(),
    fields: z.array(zTextObject(2000)).max(10, "must have at most 10 items").optional(),
    // Other interactive elements (overflow, datepicker, …) are kept; they render as nothing yet.
    accessory: zByType({ image: ZImageElement, button: ZButtonElement }, "element", true).optional(),
  })
  .refine((block) => block.text !== undefined || (block.fields?.length ?? 0) > 0, { message: "must have text or fields", path: ["text"] });

export const ZHeaderBlock = z.looseObject({ type: z.literal("header"), block_id: ZBlockId, text: zTextObject(150, { plainOnly: true }) });

export const ZDividerBlock = z.looseObject({ type: z.literal("divider"), block_id: ZBlockId });

export const ZContextBlock = z.looseObject({
  type: z.literal("context"),
  block_id: ZBlockId,
  elements: z
    .array(zByType({ image: ZImageElement, plain_text: zTextObject(3000), mrkdwn: zTextObject(3000) }, "context element", false))
    .min(1, "must have at least 1 item")
    .max(10, "must have at most 10 items"),
});

export const ZImageBlock = z.looseObject({
  type: z.literal("image"),
  block_id: ZBlockId,
  image_url: ZHttpUrl,
  alt_text: z.string({ error: "is required" }).pipe(zLimitedText(2000)),
  title: zTextObject(2000, { plainOnly: true }).optional(),
});

export const ZActionsBlock = z.looseObject({
  type: z.literal("actions"),
  block_id: ZBlockId,
  elements: z
    .array(zByType({ button: ZButtonElement }, "element", true))
    .min(1, "must have at least 1 item")
    .max(25, "must have at most 25 items"),
});

/** Rich text (what Slack's own composer sends) is only checked loosely; the renderer reads its text. */
export const ZRichTextBlock = z.looseObject({
  type: z.literal("rich_text"),
  block_id: ZBlockId,
  elements: z.array(z.looseObject({ type: z.string() }), { error: "must be an array" }).max(100, "must have at most 100 items"),
});

/** One schema for each type the renderer understands (lib/slack/block-types.ts names them). */
const knownBlocks = {
  section: ZSectionBlock,
  header: ZHeaderBlock,
  divider: ZDividerBlock,
  context: ZContextBlock,
  image: ZImageBlock,
  actions: ZActionsBlock,
  rich_text: ZRichTextBlock,
} satisfies Record<TKnownBlockType, z.ZodType>;

export const ZBlock = zByType(knownBlocks, "block", true);
export type TBlock = z.output<typeof ZBlock>;
export type TSectionBlock = z.output<typeof ZSectionBlock>;
export type TContextBlock = z.output<typeof ZContextBlock>;
export type TImageBlock = z.output<typeof ZImageBlock>;
export type TActionsBlock = z.output<typeof ZActionsBlock>;
export type TButtonElement = z.output<typeof ZButtonElement>;
export type TImageElement = z.output<typeof ZImageElement>;
export type TRichTextBlock = z.output<typeof ZRichTextBlock>;

/** The Web API takes arrays either as JSON or as a JSON-encoded string (form posts). */
function parseJsonArrayString(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // Reported by the array schema: "must be an array".
  }
}

export const ZBlocks = z.preprocess(
  parseJsonArrayString,
  z.array(ZBlock, { error: "must be an array of blocks" }).max(MAX_BLOCKS, `must have at most ${MAX_BLOCKS} blocks`),
);

const ZAttachmentField = z.looseObject({
  title: z.string().pipe(zLimitedText(300, { allowEmpty: true })).optional(),
  value: z.string().pipe(zLimitedText(2000, { allowEmpty: true })).optional(),
  short: z.boolean({ error: "must be true or false" }).optional(),
});

const optionalText = (max: number) => z.string({ error: "must be a string" }).pipe(zLimitedText(max, { allowEmpty: true })).optional();

export const ZAttachment = z.looseObject({
  color: z
    .string()
    .regex(/^(?:good|warning|danger|#?[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})$/, 'must be "good", "warning", "danger" or a hex colour like #36a64f')
    .optional(),
  fallback: optionalText(8000),
  pretext: optionalText(3000),
  title: optionalText(1000),
  title_link: ZOptionalHttpUrl,
  text: optionalText(8000),
  fields: z.array(ZAttachmentField).max(50, "must have at most 50 items").optional(),
  author_name: optionalText(256),
  author_link: ZOptionalHttpUrl,
  author_icon: ZOptionalHttpUrl,
  image_url: ZOptionalHttpUrl,
  thumb_url: ZOptionalHttpUrl,
  footer: optionalText(300),
  footer_icon: ZOptionalHttpUrl,
  ts: z.union([z.number().nonnegative(), z.string().regex(/^\d{1,12}(?:\.\d+)?$/, "must be a Unix time in seconds")], { error: "must be a Unix time in seconds" }).optional(),
  mrkdwn_in: z.array(z.string()).max(10).optional(),
  blocks: z.array(ZBlock, { error: "must be an array of blocks" }).max(MAX_BLOCKS, `must have at most ${MAX_BLOCKS} blocks`).optional(),
});
export type TAttachment = z.output<typeof ZAttachment>;

export const ZAttachments = z.preprocess(
  parseJsonArrayString,
  z.array(ZAttachment, { error: "must be an array of attachments" }).max(MAX_ATTACHMENTS, `must have at most ${MAX_ATTACHMENTS} attachments`),
);

/**
 * Slack-style messages for a validation error: "must be at most 3000 characters
 * [json-pointer:/blocks/0/text/text]" (what Slack puts in response_metadata.messages).
 */
export function slackValidationErrors(error: z.ZodError, root: "blocks" | "attachments"): string[] {
  return error.issues.map((issue) => {
    const pointer = [root, ...issue.path.map(String)].map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
    return `${issue.message} [json-pointer:/${pointer}]`;
  });
}

// --- Fallback text ------------------------------------------------------------------------------

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function textOf(object: unknown, resolvers: TNameResolvers | undefined): string {
  if (!isRecord(object)) return "";
  const text = str(object.text);
  return object.type === "mrkdwn" ? mrkdwnToPlainText(text, resolvers) : text;
}

/** The words in a rich_text element tree (sections, lists, quotes, preformatted). */
function richText(element: unknown, resolvers: TNameResolvers | undefined): string {
  if (!isRecord(element)) return "";
  switch (element.type) {
    case "text":
      return str(element.text);
    case "link":
      return str(element.text) || str(element.url);
    case "user":
      return resolvers?.userName?.(str(element.user_id)) ? `@${resolvers.userName(str(element.user_id))}` : `<@${str(element.user_id)}>`;
    case "channel":
      return resolvers?.channelName?.(str(element.channel_id)) ? `#${resolvers.channelName(str(element.channel_id))}` : `<#${str(element.channel_id)}>`;
    case "broadcast":
      return `@${str(element.range)}`;
    case "emoji":
      return emojiFromName(str(element.name)) ?? `:${str(element.name)}:`;
    case "usergroup":
      return "@group";
    case "rich_text_list": {
      const items = Array.isArray(element.elements) ? element.elements : [];
      return items.map((item) => `• ${richText(item, resolvers)}`).join("\n");
    }
    default: {
      const children = Array.isArray(element.elements) ? element.elements : [];
      const joiner = element.type === "rich_text" ? "\n" : "";
      return children.map((child) => richText(child, resolvers)).join(joiner);
    }
  }
}

function blockLines(blocks: readonly unknown[] | null | undefined, resolvers: TNameResolvers | undefined): string[] {
  const lines: string[] = [];
  for (const block of blocks ?? []) {
    if (!isRecord(block)) continue;
    switch (block.type) {
      case "header":
      case "section":
        lines.push(textOf(block.text, resolvers));
        if (Array.isArray(block.fields)) lines.push(...block.fields.map((field) => textOf(field, resolvers)));
        break;
      case "context":
        if (Array.isArray(block.elements)) lines.push(block.elements.map((element) => textOf(element, resolvers)).filter(Boolean).join(" "));
        break;
      case "image":
        lines.push(textOf(block.title, resolvers) || str(block.alt_text));
        break;
      case "rich_text":
        lines.push(richText(block, resolvers));
        break;
    }
  }
  return lines;
}

function attachmentLines(attachments: readonly unknown[] | null | undefined, resolvers: TNameResolvers | undefined): string[] {
  const lines: string[] = [];
  for (const attachment of attachments ?? []) {
    if (!isRecord(attachment)) continue;
    // The sender's own summary wins, as in Slack's notifications.
    if (str(attachment.fallback).trim()) {
      lines.push(str(attachment.fallback));
      continue;
    }
    const plain = (value: unknown) => mrkdwnToPlainText(str(value), resolvers);
    lines.push(plain(attachment.pretext), str(attachment.author_name), plain(attachment.title), plain(attachment.text));
    if (Array.isArray(attachment.fields)) {
      for (const field of attachment.fields) {
        if (!isRecord(field)) continue;
        lines.push([str(field.title), plain(field.value)].filter(Boolean).join(": "));
      }
    }
    lines.push(...blockLines(Array.isArray(attachment.blocks) ? attachment.blocks : [], resolvers));
    lines.push(str(attachment.footer));
  }
  return lines;
}

/**
 * A readable plain-text summary of blocks and attachments, for notifications and for messages
 * whose `text` is empty. Mentions stay as Slack tokens unless `resolvers` name them.
 */
export function fallbackText(blocks: readonly unknown[] | null | undefined, attachments: readonly unknown[] | null | undefined, resolvers?: TNameResolvers): string {
  const text = [...blockLines(blocks, resolvers), ...attachmentLines(attachments, resolvers)]
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n");
  const chars = [...text];
  return chars.length > MAX_MESSAGE_CHARS ? `${chars.slice(0, MAX_MESSAGE_CHARS - 1).join("")}…` : text;
}
