import { z } from "zod";
import { ZId, zText } from "@/lib/validation";
import { ZMemberSearch } from "@/lib/workspaces/schema";

/**
 * Channel names follow Slack: lower case, no spaces, at most 80 characters; letters of any script
 * (中文 included), digits, hyphens and underscores. Spaces become hyphens and a leading # is dropped.
 */
export const ZChannelName = zText().pipe(
  z
    .string()
    .trim()
    .transform((s) => s.replace(/^#/, "").toLowerCase().replace(/\s+/g, "-"))
    .pipe(
      z
        .string()
        .min(1, "is required")
        .max(80, "must be at most 80 characters")
        .regex(/^[\p{L}\p{N}\p{M}_-]+$/u, "may use only letters, numbers, hyphens and underscores"),
    ),
);

export const ZTopic = zText().pipe(z.string().trim().max(250, "must be at most 250 characters"));
export const ZDescription = zText().pipe(z.string().trim().max(1000, "must be at most 1,000 characters"));

export const ZCreateChannel = z.object({
  name: ZChannelName,
  kind: z.enum(["PUBLIC", "PRIVATE", "ANNOUNCEMENT"]).default("PUBLIC"),
  topic: ZTopic.default(""),
  description: ZDescription.default(""),
  memberIds: z.array(ZId).max(1000).default([]),
});

export const ZUpdateChannel = z
  .object({ name: ZChannelName.optional(), topic: ZTopic.optional(), description: ZDescription.optional(), archived: z.boolean().optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");

export const ZAddMembers = z.object({ userIds: z.array(ZId).min(1, "Name at least one person").max(1000) });

export const ZSetPoster = z.object({ isPoster: z.boolean() });

/** Direct message with 1 (yourself) to 7 others: at most 8 people in all. */
export const ZOpenDm = z.object({ userIds: z.array(ZId).min(1, "Pick at least one person").max(7, "A group conversation holds at most 8 people") });

export const ZMarkRead = z.object({ channelId: ZId, seq: z.number().int().min(0) });

export type TChannelKind = "PUBLIC" | "PRIVATE" | "ANNOUNCEMENT" | "DM" | "GROUP_DM";

export type TChannel = {
  id: string;
  workspaceId: string;
  kind: TChannelKind;
  name: string | null;
  topic: string;
  description: string;
  isGeneral: boolean;
  archivedAt: string | null;
  createdById: string | null;
  createdAt: string;
  lastSeq: number;
  lastMessageAt: string | null;
};

/** A channel as one person sees it: their membership, unread count and what they may do. */
export type TChannelView = TChannel & {
  isMember: boolean;
  lastReadSeq: number;
  unreadCount: number;
  /** Muted (`/mute`): no unread badge; the sidebar dims it. Set in the sidebar list. */
  muted?: boolean;
  memberCount: number;
  /** Pinned messages (not deleted), for the header's count; the list itself is fetched when opened. */
  pinCount: number;
  /** Other people in a DM / group DM, for its title. */
  dmMembers?: { id: string; name: string }[];
  canPost: boolean;
  canManage: boolean;
  /** May change the topic and description (archived channels must be unarchived first). */
  canEditTopic: boolean;
};

/**
 * How far a sidebar conversation has gone (`lastSeq`) and been read: `channels.heads`, which a client
 * compares with the sidebar it read before its socket could hear of changes.
 */
export type TSidebarHead = { id: string; lastSeq: number; lastReadSeq: number };

export const ZSidebarHeadsQuery = z.object({ slug: z.string().min(1).max(100) });

/**
 * `statusEmoji` is a Slack short name with colons (":coffee:"), set with `/status`; both "" when none.
 * `role` is the person's role in the workspace (admins post in announcement channels by it).
 */
export type TChannelMember = {
  userId: string;
  name: string;
  email: string;
  avatarUrl: string | null;
  isBot: boolean;
  statusText: string;
  statusEmoji: string;
  isPoster: boolean;
  role: "OWNER" | "ADMIN" | "MEMBER" | "GUEST" | null;
  joinedAt: string;
};

/** `?q=…&limit=…`: a conversation's members found by name or email (its members panel), as workspace members are. */
export const ZChannelMemberSearch = ZMemberSearch.pick({ q: true, limit: true });
