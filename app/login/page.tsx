import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/workspace/auth-card";
import { getSafeCallbackPath } from "@/components/workspace/callback-url";
import { LoginForm } from "@/components/workspace/login-form";
import { getPageActor } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Sign in · Parley" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** /login — email and password; comes back to `callbackUrl` afterwards. */
export default async function LoginPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const rawCallbackUrl = firstValue(params.callbackUrl);
  if (await getPageActor()) redirect(getSafeCallbackPath(rawCallbackUrl));
  return (
    <AuthCard title="Sign in to Parley" subtitle="Use the email address you signed up with.">
      {/* `error` is set by next-auth when the form was posted without JavaScript. */}
      <LoginForm rawCallbackUrl={rawCallbackUrl} initialError={firstValue(params.error)} />
    </AuthCard>
  );
}
