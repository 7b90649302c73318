/**
 * Server-side session checks for pages. Unlike getServerSession, this also rejects a cookie whose
 * session was ended (deactivation, password change), so such a visit lands on /login at once.
 */
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getActorFromCookie, type TSessionActor } from "@/lib/auth/session";

/** The signed-in person for this page request, or null. */
export async function getPageActor(): Promise<TSessionActor | null> {
  const requestHeaders = await headers();
  return getActorFromCookie(requestHeaders.get("cookie") ?? undefined, requestHeaders);
}

/** The signed-in person; anyone else is sent to /login and brought back to `returnPath` after. */
export async function requirePageActor(returnPath: string): Promise<TSessionActor> {
  const actor = await getPageActor();
  if (!actor) redirect(`/login?callbackUrl=${encodeURIComponent(returnPath)}`);
  return actor;
}
