"use client";

import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { ChangePasswordForm } from "@/components/workspace/change-password-form";
import { ProfileNameForm } from "@/components/workspace/profile-name-form";
import { useMe } from "@/components/workspace/queries";
import { SignOutButton } from "@/components/workspace/sign-out-button";

function SettingsSection({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
      <h2 id={id} className="mb-5 text-lg font-bold text-slate-900">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** The profile page's body: who I am, my name, my password, signing out. */
export function ProfileSettings() {
  const { data: user, error } = useMe();
  if (!user) return error ? <Alert title="Could not load your profile">{describeError(error)}</Alert> : <LoadingRow />;
  return (
    <div className="space-y-6">
      <div className="flex items-center gap-4">
        <Avatar name={user.name} seed={user.id} size="lg" />
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-bold tracking-tight text-slate-900">{user.name}</h1>
          <p className="truncate text-[15px] text-slate-600">{user.email}</p>
        </div>
      </div>
      <SettingsSection id="profile-name" title="Profile">
        <ProfileNameForm user={user} />
      </SettingsSection>
      <SettingsSection id="profile-password" title="Password">
        <ChangePasswordForm email={user.email} />
      </SettingsSection>
      <SettingsSection id="profile-session" title="Sign out">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <p className="text-[15px] text-slate-600">Sign out of Parley on this device.</p>
          <SignOutButton size="md" />
        </div>
      </SettingsSection>
    </div>
  );
}
