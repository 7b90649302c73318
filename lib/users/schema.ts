import { z } from "zod";
import { ZEmail, ZPassword, ZPersonName } from "@/lib/validation";

export const ZSignUp = z.object({ name: ZPersonName, email: ZEmail, password: ZPassword });
export type TSignUp = z.infer<typeof ZSignUp>;

export const ZSignIn = z.object({ email: ZEmail, password: z.string().min(1).max(256) });

export const ZUpdateProfile = z.object({ name: ZPersonName });

export const ZChangePassword = z.object({ currentPassword: z.string().min(1).max(256), newPassword: ZPassword });

/** What other people may see of a user. */
export type TPublicUser = { id: string; name: string; email: string; avatarUrl: string | null; isBot: boolean };
