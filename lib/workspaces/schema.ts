import { z } from "zod";
import { ZEmail, ZId, zText } from "@/lib/validation";
import { MEMBER_LOOKUP_MAX } from "@/lib/workspaces/limits";

const reservedSlugs = new Set(["api", "app", "admin", "login", "signup", "invite", "w", "settings", "new", "socket-io", "static", "_next"]);

export const ZSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "must be at least 2 characters")
  .max(40, "must be at most 40 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "may use only a–z, 0–9 and inner hyphens")
  .refine((s) => !reservedSlugs.has(s), "is reserved");

export const ZWorkspaceName = zText().pipe(z.string().trim().min(1, "is required").max(80, "must be at most 80 characters"));

export const ZCreateWorkspace = z.object({ name: ZWorkspaceName, slug: ZSlug });

export const ZRole = z.enum(["OWNER", "ADMIN", "MEMBER", "GUEST"]);

export const ZUpdateMember = z
  .object({ role: ZRole.optional(), status: z.enum(["ACTIVE", "DEACTIVATED"]).optional() })
  .refine((v) => v.role !== undefined || v.status !== undefined, "Give a role or a status");

export const ZCreateInvite = z.object({
  email: ZEmail.optional(),
  role: z.enum(["ADMIN", "MEMBER", "GUEST"]).default("MEMBER"),
  /** Hours until the link stops working: 1 hour to 30 days, a week by default. */
  expiresInHours: z.coerce.number().int().min(1).max(24 * 30).default(24 * 7),
});

/** `?ids=a,b,c`: the members to look up, comma-separated, repeats ignored. */
export const ZMemberLookup = z.object({
  ids: z
    .string()
    .transform((s) => [...new Set(s.split(",").map((id) => id.trim()).filter(Boolean))])
    .pipe(z.array(ZId).min(1, "name at least one member").max(MEMBER_LOOKUP_MAX, `name at most ${MEMBER_LOOKUP_MAX} members at a time`)),
});

/** `?q=…&limit=…`: people to pick (a DM, adding to a conversation), found by name or email. */
export const ZMemberSearch = z.object({
  q: zText().pipe(z.string().trim().max(100, "must be at most 100 characters")),
  limit: z.coerce.number().int().min(1).max(MEMBER_LOOKUP_MAX).default(50),
  /** Leave out this conversation's members (people to add to it). */
  notInChannel: ZId.optional(),
  /** "all": deactivated members too (what admins see in the member list; active only for others). */
  status: z.enum(["active", "all"]).default("active"),
  /** The `nextCursor` of the page before. */
  cursor: z.string().max(400).optional(),
});

export const ZInviteToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, "is not a valid invite link");

export type TWorkspace = { id: string; name: string; slug: string; createdAt: string };
export type TMyWorkspace = TWorkspace & { role: z.infer<typeof ZRole> };
export type TMember = { userId: string; name: string; email: string; avatarUrl: string | null; isBot: boolean; role: z.infer<typeof ZRole>; status: "ACTIVE" | "DEACTIVATED"; joinedAt: string };
export type TInvite = { id: string; email: string | null; role: z.infer<typeof ZRole>; expiresAt: string; createdAt: string; createdBy: { id: string; name: string }; status: "pending" | "accepted" | "revoked" | "expired" };
