import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/workspace/auth-card";
import { getSafeCallbackPath } from "@/components/workspace/callback-url";
import { getPageActor } from "@/lib/auth/page-session";
import { SignupForm } from "@/components/workspace/signup-form";

export const metadata: Metadata = { title: "Create an account · Parley" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** /signup — name, email, password; signs in and continues to `callbackUrl`. */
export default async function SignupPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const rawCallbackUrl = Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl;
  if (await getPageActor()) redirect(getSafeCallbackPath(rawCallbackUrl));
  const isJoiningByInvite = getSafeCallbackPath(rawCallbackUrl).startsWith("/invite/");
  return (
    <AuthCard title="Create your account" subtitle={isJoiningByInvite ? "Create an account, then join the workspace you were invited to." : "Start talking with your team in minutes."}>
      <SignupForm rawCallbackUrl={rawCallbackUrl} />
    </AuthCard>
  );
}
