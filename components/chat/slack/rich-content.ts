/**
 * Block Kit blocks and legacy attachments, loaded by lazy-formatting.ts when a message has them:
 * they check what they draw with zod schemas (lib/slack/blocks.ts), which the chat's first scripts
 * do without.
 */
export { SlackAttachments } from "@/components/chat/slack/attachments";
export { SlackBlocks } from "@/components/chat/slack/blocks";
