import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/ui/logo";
import { InviteCard } from "@/components/workspace/invite-card";
import { getPageActor } from "@/lib/auth/page-session";
import { getMe } from "@/lib/users/service";

export const metadata: Metadata = { title: "Join a workspace · Parley" };

/** /invite/<token> — open to everyone: the link itself is the secret. */
export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const actor = await getPageActor();
  const me = actor ? await getMe({ actor }) : null;
  return (
    <main className="flex min-h-dvh flex-col items-center bg-slate-50 px-4 py-10 sm:py-16">
      <Link href="/" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-[#611f69]">
        <Logo />
      </Link>
      <div className="mt-8 w-full max-w-[440px] rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <InviteCard token={token} isSignedIn={!!actor} signedInEmail={me?.email} />
      </div>
    </main>
  );
}
