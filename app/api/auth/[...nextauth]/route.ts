// GET/POST /api/auth/* - next-auth (sign in, sign out, session, CSRF token), answered by the server itself
import { authRoute } from "@/lib/auth/auth-route";

async function handler(req: Request, segment: { params: Promise<{ nextauth: string[] }> }): Promise<Response> {
  return authRoute(req, (await segment.params).nextauth);
}

export { handler as GET, handler as POST };
