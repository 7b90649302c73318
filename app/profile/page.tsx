import type { Metadata } from "next";
import Link from "next/link";
import { AccountHeader } from "@/components/workspace/account-header";
import { requirePageActor } from "@/lib/auth/page-session";
import { ProfileSettings } from "@/components/workspace/profile-settings";

export const metadata: Metadata = { title: "Your profile · Parley" };

/** /profile — name, password, sign out. */
export default async function ProfilePage() {
  await requirePageActor("/profile");
  return (
    <div className="min-h-dvh bg-slate-50">
      <AccountHeader />
      <main className="mx-auto max-w-4xl px-4 py-8 sm:px-6">
        <div className="max-w-2xl">
        <Link href="/workspaces" className="mb-6 inline-flex items-center gap-1 text-sm font-semibold text-[#1264a3] hover:underline">
          <span aria-hidden="true">←</span> Back to your workspaces
        </Link>
        <ProfileSettings />
        </div>
      </main>
    </div>
  );
}
