// POST /api/auth/signup - create an account (then sign in through next-auth)
import { clientIp, open, readJson } from "@/lib/http/handler";
import { signUp } from "@/lib/users/service";

export const POST = open(async ({ req }) => ({ user: await signUp(await readJson(req), { ip: clientIp(req) }) }), { status: 201 });
