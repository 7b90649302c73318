/**
 * Slack's mrkdwn and message tokens, turned into a Markdown syntax tree (mdast) so they go through
 * the same safe rendering as Parley's Markdown (react-markdown → React elements; no raw HTML path).
 *
 * - `parseMrkdwn(text)` parses mrkdwn (*bold*, _italic_, ~strike~, `code`, ```pre```, > quotes,
 *   >>> quotes, lists, <tokens>, :emoji:, bare URLs, &amp; &lt; &gt;) straight into mdast.
 *   Markdown's parser is not reused: mrkdwn's `*` means bold, it has no headings or tables, and
 *   Slack's escapes are not Markdown's, so a text → Markdown translation would need the same
 *   tokenizer plus an escaping layer.
 * - `remarkMrkdwn` plugs that parser into react-markdown (it replaces remark-parse's parser).
 * - `remarkSlackTokens` is for Markdown messages: it turns <@id>, <#id|name>, <!here>, <url|label>
 *   and :emoji: in the parsed Markdown into the same nodes.
 * - `mrkdwnToPlainText` gives readable text (notifications, fallbacks).
 *
 * Tokens become `text` nodes with `data.hName = "span"` and `data-slack-token` / `data-id`
 * properties; the UI maps those spans to mention chips and channel links. Links are kept only for
 * http(s) and mailto URLs; anything else is shown as the literal text that was sent.
 */
import type { BlockContent, Data, Link, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Text } from "mdast";
import type {} from "mdast-util-to-hast";
import type { Plugin } from "unified";
import { emojiFromName } from "@/lib/emoji";

export type TSlackToken =
  | { kind: "user"; id: string; label: string | null }
  | { kind: "channel"; id: string; label: string | null }
  | { kind: "broadcast"; name: "here" | "channel" | "everyone" }
  | { kind: "link"; url: string; label: string | null }
  /** Something not to act on (an unsafe or unknown link, a user group, a date): shown as this text. */
  | { kind: "text"; text: string };

export type TMrkdwnOptions = {
  /** false: only tokens, emoji, links and line breaks (messages sent with markup "plain"). */
  formatting?: boolean;
};

const SAFE_SCHEME = /^(?:https?:\/\/|mailto:)/i;
const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ENTITY = /&(amp|lt|gt);/g;
const ENTITY_CHARS: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

/** Slack escapes exactly three characters in message text; everything else is literal. */
export function decodeSlackEntities(text: string): string {
  return text.includes("&") ? text.replace(ENTITY, (_, name: string) => ENTITY_CHARS[name]!) : text;
}

/** The URL when it is an absolute http(s) or mailto URL a browser can parse; otherwise null. */
export function safeLinkUrl(url: string): string | null {
  const trimmed = url.trim();
  if (!SAFE_SCHEME.test(trimmed)) return null;
  try {
    const parsed = new URL(trimmed);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:" && parsed.protocol !== "mailto:") return null;
    if (parsed.protocol !== "mailto:" && !parsed.hostname) return null;
    return trimmed;
  } catch {
    return null;
  }
}

/** What `<inner>` means in Slack's message format (`inner` already entity-decoded). */
export function parseSlackToken(inner: string): TSlackToken {
  const bar = inner.indexOf("|");
  const head = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) || null : null;
  const literal: TSlackToken = { kind: "text", text: `<${inner}>` };
  if (head.startsWith("@")) return TOKEN_ID.test(head.slice(1)) ? { kind: "user", id: head.slice(1), label: label?.replace(/^@/, "") ?? null } : literal;
  if (head.startsWith("#")) return TOKEN_ID.test(head.slice(1)) ? { kind: "channel", id: head.slice(1), label: label?.replace(/^#/, "") ?? null } : literal;
  if (head.startsWith("!")) {
    const name = head.slice(1).split("^")[0];
    if (name === "here" || name === "channel" || name === "everyone") return { kind: "broadcast", name };
    // <!subteam^ID|@group>, <!date^1392734382^{date}|Feb 18, 2014>: Slack shows the fallback label.
    if (label) return { kind: "text", text: label };
    return name === "subteam" ? { kind: "text", text: "@group" } : literal;
  }
  const url = safeLinkUrl(head);
  return url ? { kind: "link", url, label } : literal;
}

/** Properties on a token's span; the UI keys its chips on `data-slack-token`. */
export type TTokenProperties = { dataSlackToken: "user" | "channel" | "broadcast"; dataId: string };

function tokenText(value: string, properties: TTokenProperties): Text {
  return { type: "text", value, data: { hName: "span", hProperties: properties } };
}

/** The mdast node for a token. */
export function tokenToMdast(token: TSlackToken): PhrasingContent {
  switch (token.kind) {
    case "user":
      return tokenText(`@${token.label ?? "unknown-user"}`, { dataSlackToken: "user", dataId: token.id });
    case "channel":
      return tokenText(`#${token.label ?? "unknown-channel"}`, { dataSlackToken: "channel", dataId: token.id });
    case "broadcast":
      return tokenText(`@${token.name}`, { dataSlackToken: "broadcast", dataId: token.name });
    case "link": {
      const shown = token.label ?? token.url.replace(/^mailto:/i, "");
      return { type: "link", url: token.url, children: [{ type: "text", value: shown }] } satisfies Link;
    }
    case "text":
      return { type: "text", value: token.text };
  }
}

function emojiNode(name: string, unicode: string): Text {
  return { type: "text", value: unicode, data: { hName: "span", hProperties: { title: `:${name}:`, className: ["emoji"] } } };
}

// --- Inline -----------------------------------------------------------------------------------

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const EMOJI_AT = /:([a-z0-9_+-]+(?:::skin-tone-[2-6])?):/y;
const URL_AT = /https?:\/\/[^\s<>]+/iy;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}*_~]+$/;
const EMPHASIS = { "*": "strong", _: "emphasis", "~": "delete" } as const;

/**
 * Whether `c` glues emphasis markers to a word ("a*b*c" is not bold). Chinese, Japanese and Korean
 * characters do not: "这是*重点*内容" is bold, as people writing those languages expect.
 */
function isWordChar(c: string | undefined): boolean {
  return c !== undefined && LETTER_OR_DIGIT.test(c) && !CJK.test(c);
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || /\s/.test(c);
}

/** The index of the `<` … `>` token starting at i, or -1. */
function tokenEnd(s: string, i: number): number {
  const end = s.indexOf(">", i + 1);
  if (end <= i + 1) return -1;
  const inner = s.slice(i + 1, end);
  return inner.includes("<") || inner.includes("\n") ? -1 : end;
}

/** Index of the marker closing the emphasis opened at i, or -1 (code spans and tokens are skipped). */
function findClosing(s: string, i: number, marker: string): number {
  for (let j = i + 2; j < s.length; j++) {
    const c = s[j];
    if (c === "<") {
      const end = tokenEnd(s, j);
      if (end > 0) j = end;
    } else if (c === "`" && marker !== "`") {
      const end = s.indexOf("`", j + 1);
      if (end > j) j = end;
    } else if (c === marker && !isSpace(s[j - 1]) && !isWordChar(s[j + 1])) {
      return j;
    }
  }
  return -1;
}

function pushText(out: PhrasingContent[], value: string): void {
  const last = out.at(-1);
  if (last?.type === "text" && !last.data) last.value += value;
  else out.push({ type: "text", value });
}

/** One line of mrkdwn (no newlines) as phrasing nodes. */
function parseInline(s: string, formatting: boolean): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) pushText(out, decodeSlackEntities(buffer));
    buffer = "";
  };
  // After a failed search for a closing marker, later openers of that marker cannot succeed either.
  const noCloser = new Set<string>();
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "<") {
      const end = tokenEnd(s, i);
      if (end > 0) {
        flush();
        out.push(tokenToMdast(parseSlackToken(decodeSlackEntities(s.slice(i + 1, end)))));
        i = end + 1;
        continue;
      }
    } else if (formatting && c === "`") {
      const end = s.indexOf("`", i + 1);
      if (end > i + 1) {
        flush();
        out.push({ type: "inlineCode", value: decodeSlackEntities(s.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if (formatting && (c === "*" || c === "_" || c === "~") && !noCloser.has(c)) {
      const opens = !isWordChar(s[i - 1]) && !isSpace(s[i + 1]) && s[i + 1] !== c;
      const end = opens ? findClosing(s, i, c) : -1;
      if (opens && end < 0) noCloser.add(c);
      if (end > 0) {
        flush();
        out.push({ type: EMPHASIS[c], children: parseInline(s.slice(i + 1, end), formatting) } as PhrasingContent);
        i = end + 1;
        continue;
      }
    } else if (c === ":") {
      EMOJI_AT.lastIndex = i;
      const match = EMOJI_AT.exec(s);
      const unicode = match ? emojiFromName(match[1]!) : null;
      if (match && unicode) {
        flush();
        out.push(emojiNode(match[1]!, unicode));
        i += match[0].length;
        continue;
      }
    } else if ((c === "h" || c === "H") && !isWordChar(s[i - 1])) {
      URL_AT.lastIndex = i;
      const match = URL_AT.exec(s);
      const raw = match?.[0].replace(TRAILING_PUNCTUATION, "");
      const url = raw ? safeLinkUrl(decodeSlackEntities(raw)) : null;
      if (raw && url) {
        flush();
        out.push({ type: "link", url, children: [{ type: "text", value: url }] });
        i += raw.length;
        continue;
      }
    }
    buffer += c;
    i++;
  }
  flush();
  return out;
}

// --- Blocks -----------------------------------------------------------------------------------

const QUOTE = /^(?:>|&gt;)/;
const QUOTE_REST = /^(?:>>>|&gt;&gt;&gt;)/;
const LIST_ITEM = /^\s*(?:([•◦▪‣*-])|(\d{1,9})[.)])\s+(\S.*)$/;
const FENCE = /```([\s\S]*?)```/g;

function paragraph(lines: string[], formatting: boolean): Paragraph {
  const children: PhrasingContent[] = [];
  lines.forEach((line, index) => {
    if (index > 0) children.push({ type: "break" });
    children.push(...parseInline(line, formatting));
  });
  return { type: "paragraph", children };
}

/** Lines of text (no code fences) as block nodes. */
function parseLines(lines: string[], formatting: boolean, allowQuotes: boolean): BlockContent[] {
  const out: BlockContent[] = [];
  let open: string[] = [];
  const closeParagraph = () => {
    if (open.length) out.push(paragraph(open, formatting));
    open = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) {
      closeParagraph();
      continue;
    }
    if (formatting && allowQuotes && QUOTE_REST.test(line)) {
      // ">>>" quotes everything after it.
      closeParagraph();
      const rest = [line.replace(QUOTE_REST, "").replace(/^ /, ""), ...lines.slice(i + 1)];
      out.push({ type: "blockquote", children: parseLines(rest, formatting, false) });
      return out;
    }
    if (formatting && allowQuotes && QUOTE.test(line)) {
      closeParagraph();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) quoted.push(lines[i++]!.replace(QUOTE, "").replace(/^ /, ""));
      i--;
      out.push({ type: "blockquote", children: parseLines(quoted, formatting, false) });
      continue;
    }
    const item = formatting ? LIST_ITEM.exec(line) : null;
    if (item) {
      closeParagraph();
      const ordered = item[2] !== undefined;
      const list: List = { type: "list", ordered, start: ordered ? Number(item[2]) : null, spread: false, children: [] };
      while (i < lines.length) {
        const next = LIST_ITEM.exec(lines[i]!);
        if (!next || (next[2] !== undefined) !== ordered) break;
        const listItem: ListItem = { type: "listItem", spread: false, children: [paragraph([next[3]!], formatting)] };
        list.children.push(listItem);
        i++;
      }
      i--;
      out.push(list);
      continue;
    }
    open.push(line);
  }
  closeParagraph();
  return out;
}

/** Slack mrkdwn as an mdast tree. */
export function parseMrkdwn(text: string, options: TMrkdwnOptions = {}): Root {
  const formatting = options.formatting ?? true;
  const source = text.replace(/\r\n?/g, "\n");
  if (!formatting) return { type: "root", children: parseLines(source.split("\n"), false, false) };
  const children: RootContent[] = [];
  let last = 0;
  for (const fence of source.matchAll(FENCE)) {
    children.push(...parseLines(source.slice(last, fence.index).split("\n"), true, true));
    const value = fence[1]!.replace(/^\n/, "").replace(/\n$/, "");
    children.push({ type: "code", lang: null, value: decodeSlackEntities(value) });
    last = fence.index + fence[0].length;
  }
  children.push(...parseLines(source.slice(last).split("\n"), true, true));
  return { type: "root", children };
}

/** react-markdown / unified plugin: parse the document as Slack mrkdwn instead of Markdown. */
export const remarkMrkdwn: Plugin<[TMrkdwnOptions?], string, Root> = function (options) {
  this.parser = (document) => parseMrkdwn(document, options);
};

// --- Tokens in Markdown messages ---------------------------------------------------------------

const TOKEN_OR_EMOJI = /<([@#!][^<>\n]*)>|:([a-z0-9_+-]+(?:::skin-tone-[2-6])?):/g;
const BROADCAST_HTML = /^<(![^<>\n]*)>$/;
/** A line starting with "<!here>" parses as an HTML block (CommonMark's "<!" + letter rule). */
const BROADCAST_HTML_BLOCK = /^<![a-z][^<>\n]*>/;

function splitText(node: Text): PhrasingContent[] {
  if (!node.value.includes("<") && !node.value.includes(":")) return [node];
  const out: PhrasingContent[] = [];
  let last = 0;
  for (const match of node.value.matchAll(TOKEN_OR_EMOJI)) {
    let replacement: PhrasingContent | null = null;
    if (match[1] !== undefined) {
      const token = parseSlackToken(match[1]);
      replacement = token.kind === "text" ? null : tokenToMdast(token);
    } else {
      const unicode = emojiFromName(match[2]!);
      replacement = unicode ? emojiNode(match[2]!, unicode) : null;
    }
    if (!replacement) continue;
    if (match.index > last) out.push({ type: "text", value: node.value.slice(last, match.index) });
    out.push(replacement);
    last = match.index + match[0].length;
  }
  if (last === 0) return [node];
  if (last < node.value.length) out.push({ type: "text", value: node.value.slice(last) });
  return out;
}

type TParent = { type: string; children: RootContent[] };
const BLOCK_PARENTS = new Set(["root", "blockquote", "listItem", "footnoteDefinition"]);
type TParse = (markdown: string) => Root;

function transformChildren(parent: TParent, source: string, parse: TParse): void {
  const next: RootContent[] = [];
  const isBlockParent = BLOCK_PARENTS.has(parent.type);
  for (const child of parent.children) {
    if (child.type === "text" && !child.data) {
      next.push(...splitText(child));
    } else if (child.type === "html" && !isBlockParent && BROADCAST_HTML.test(child.value)) {
      // "<!here>" parses as an HTML declaration in Markdown.
      next.push(tokenToMdast(parseSlackToken(child.value.slice(1, -1))));
    } else if (child.type === "html" && isBlockParent && BROADCAST_HTML_BLOCK.test(child.value)) {
      // "<!here> please **review**": the whole line became raw HTML. Parse it again as Markdown
      // with the "<" escaped (safe: an HTML block starts a line, so no code span is open there).
      const text = `\\${child.value}`;
      const reparsed = parse(text);
      transformChildren(reparsed, text, parse);
      next.push(...reparsed.children);
    } else if (child.type === "link") {
      const start = child.position?.start.offset;
      const end = child.position?.end.offset;
      const isAutolink = start !== undefined && end !== undefined && source[start] === "<" && source[end - 1] === ">";
      if (isAutolink && (child.url.includes("|") || !safeLinkUrl(child.url))) {
        // <https://url|label>, <mailto:a@b|a@b>, <javascript:…>: Slack's link syntax, not Markdown's.
        next.push(tokenToMdast(parseSlackToken(source.slice(start + 1, end - 1))));
      } else if (!safeLinkUrl(child.url)) {
        // [text](javascript:…) or a relative link: keep the words, drop the link.
        transformChildren(child as TParent, source, parse);
        next.push(...(child.children as RootContent[]));
      } else {
        transformChildren(child as TParent, source, parse);
        next.push(child);
      }
    } else {
      if ("children" in child) transformChildren(child as TParent, source, parse);
      next.push(child);
    }
  }
  parent.children = next;
}

/** unified plugin for Markdown messages: Slack tokens and :emoji: short names. Runs after remark-gfm. */
export const remarkSlackTokens: Plugin<[], Root> = function () {
  const processor = this;
  return (tree, file) => transformChildren(tree, String(file.value ?? ""), (markdown) => processor.parse(markdown) as Root);
};

// --- Plain text ---------------------------------------------------------------------------------

export type TNameResolvers = {
  /** A user's display name, or null when unknown. */
  userName?: (id: string) => string | null | undefined;
  channelName?: (id: string) => string | null | undefined;
};

type TAnyNode = { type: string; value?: string; url?: string; children?: TAnyNode[]; data?: Data };

function plainOf(node: TAnyNode, resolvers: TNameResolvers | undefined): string {
  switch (node.type) {
    case "text": {
      const props = node.data?.hProperties as Partial<TTokenProperties> | undefined;
      if (props?.dataSlackToken === "user") {
        const name = resolvers?.userName?.(props.dataId!);
        if (name) return `@${name}`;
        // Unknown here: keep the token, so whoever shows the text can still resolve it.
        return node.value === "@unknown-user" ? `<@${props.dataId}>` : node.value!;
      }
      if (props?.dataSlackToken === "channel") {
        const name = resolvers?.channelName?.(props.dataId!);
        if (name) return `#${name}`;
        return node.value === "#unknown-channel" ? `<#${props.dataId}>` : node.value!;
      }
      return node.value ?? "";
    }
    case "inlineCode":
    case "code":
      return node.value ?? "";
    case "break":
      return "\n";
    case "link": {
      const label = (node.children ?? []).map((c) => plainOf(c, resolvers)).join("");
      const url = node.url ?? "";
      return label === url || label === url.replace(/^mailto:/i, "") ? label : `${label} (${url})`;
    }
    case "list":
      return (node.children ?? []).map((item, index) => `${(node as { ordered?: boolean }).ordered ? `${index + 1}.` : "•"} ${plainOf(item, resolvers)}`).join("\n");
    case "root":
    case "blockquote":
      return (node.children ?? []).map((c) => plainOf(c, resolvers)).join("\n");
    default:
      return (node.children ?? []).map((c) => plainOf(c, resolvers)).join("");
  }
}

/**
 * mrkdwn as readable plain text: formatting marks dropped, entities decoded, links as
 * "label (url)", emoji as unicode. Mentions become "@name" / "#name" when the resolvers (or the
 * token's own label) know the name; otherwise the token stays as it was (<@id>, <#id>), so a
 * renderer that knows the workspace can still show it.
 */
export function mrkdwnToPlainText(text: string, resolvers?: TNameResolvers): string {
  return plainOf(parseMrkdwn(text) as TAnyNode, resolvers).trim();
}
