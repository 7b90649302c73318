// GET /api/me - the signed-in user; PATCH /api/me - change name
import { authed, readJson } from "@/lib/http/handler";
import { getMe, updateProfile } from "@/lib/users/service";

export const GET = authed(async ({ actor }) => ({ user: await getMe({ actor }) }));
export const PATCH = authed(async ({ actor, req }) => ({ user: await updateProfile({ actor, input: await readJson(req) }) }));
