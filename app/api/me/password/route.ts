// POST /api/me/password - change password (ends every session; the client signs in again)
import { authed, readJson } from "@/lib/http/handler";
import { changePassword } from "@/lib/users/service";

export const POST = authed(async ({ actor, req }) => {
  await changePassword({ actor, input: await readJson(req) });
  return { ok: true };
});
