"use client";

import Link from "next/link";
import { Avatar } from "@/components/ui/avatar";
import { Logo } from "@/components/ui/logo";
import { useMe } from "@/components/workspace/queries";
import { SignOutButton } from "@/components/workspace/sign-out-button";

/** The top bar of the account pages (workspace list, profile): logo, who is signed in, sign out. */
export function AccountHeader() {
  // From /api/me rather than the session token, so a rename shows at once.
  const { data: user } = useMe();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 max-w-4xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/workspaces" className="rounded-md focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-[#611f69]">
          <Logo />
        </Link>
        <nav aria-label="Account" className="flex min-w-0 items-center gap-2 sm:gap-3">
          {user?.name && (
            <Link href="/profile" className="flex min-w-0 items-center gap-2 rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-slate-500">
              <Avatar name={user.name} seed={user.id} size="sm" />
              <span className="hidden max-w-48 truncate sm:inline">{user.name}</span>
              <span className="sr-only sm:hidden">Your profile</span>
            </Link>
          )}
          <SignOutButton />
        </nav>
      </div>
    </header>
  );
}
