/**
 * The Block Kit block types Parley draws. Apart from blocks.ts, whose zod schemas check them, so
 * the message list can tell whether a message's blocks will show without loading zod.
 */
export const KNOWN_BLOCK_TYPES = ["section", "header", "divider", "context", "image", "actions", "rich_text"] as const;

export type TKnownBlockType = (typeof KNOWN_BLOCK_TYPES)[number];

/** Whether any of these blocks is of a type Parley draws (otherwise the message's text shows). */
export function hasShowableBlocks(blocks: readonly unknown[] | null | undefined): blocks is readonly unknown[] {
  return !!blocks?.some((block) => typeof block === "object" && block !== null && (KNOWN_BLOCK_TYPES as readonly string[]).includes(String((block as { type?: unknown }).type)));
}
