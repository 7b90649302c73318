/**
 * next-auth configuration: email + password (credentials) with JWT sessions, so sessions survive a
 * restart without a session table. The token carries the user's sessionVersion; bumping it in the
 * database ends every session at once (checked on every request and socket handshake).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cjsDefault } from "@/lib/cjs-default";
import { AppError } from "@/lib/errors";
import { verifyCredentials } from "@/lib/users/service";

export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

function clientIp(headers: Record<string, unknown> | undefined): string {
  // server/index.ts overwrites x-real-ip with the socket's address, so clients cannot spoof it.
  return typeof headers?.["x-real-ip"] === "string" ? (headers["x-real-ip"] as string) : "local";
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    cjsDefault(CredentialsProvider)({
      name: "Email",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await verifyCredentials(credentials, { ip: clientIp(req?.headers as Record<string, unknown>) });
          return { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion };
        } catch (err) {
          // next-auth shows the thrown message as the error code; keep it generic but say when to wait.
          if (err instanceof AppError && err.code === "rate_limited") throw new Error("RateLimited");
          if (err instanceof AppError) return null;
          throw err;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
      }
      return token;
    },
    async session({ session, token }) {
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};
