import type { Metadata } from "next";
import Link from "next/link";
import { ApiTokensSection } from "@/components/integrations/api-tokens-section";
import { AccountHeader } from "@/components/workspace/account-header";
import { requirePageActor } from "@/lib/auth/page-session";
import { ProfileSettings } from "@/components/workspace/profile-settings";

export const metadata: Metadata = { title: "Your profile · Parley" };

/** /profile — name, password, sign out, personal API tokens. */
export default async function ProfilePage() {
  await requirePageActor("/profile");
  return (
    <div className="min-h-dvh bg-slate-50">
      <AccountHeader />
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">
        <div className="max-w-2xl space-y-6">
        <Link href="/workspaces" className="inline-flex items-center gap-1 text-sm font-semibold text-[#1264a3] hover:underline">
          <span aria-hidden="true">←</span> Back to your workspaces
        </Link>
        <ProfileSettings />
        <section id="api-tokens" aria-labelledby="profile-api-tokens" className="scroll-mt-6 rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
          <h2 id="profile-api-tokens" className="mb-5 text-lg font-bold text-slate-900">
            API tokens
          </h2>
          <ApiTokensSection />
        </section>
        </div>
      </main>
    </div>
  );
}
