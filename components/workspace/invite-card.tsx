"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { formatDateTime, formatRelative } from "@/components/ui/format-date";
import { describeError } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { withCallbackUrl } from "@/components/workspace/callback-url";
import { rememberLastWorkspace } from "@/components/workspace/last-workspace";
import { isUnauthorized, queryKeys, redirectToLogin } from "@/components/workspace/queries";
import { roleLabels } from "@/components/workspace/role-badge";
import { SignOutButton } from "@/components/workspace/sign-out-button";
import { api, ApiError } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import type { TInvite, TMyWorkspace, TWorkspace } from "@/lib/workspaces/schema";

type TInvitePreview = { workspace: Pick<TWorkspace, "id" | "name" | "slug">; invitedBy: string; email: string | null; role: TMyWorkspace["role"]; status: TInvite["status"]; expiresAt: string };

const unusableInviteText: Record<Exclude<TInvite["status"], "pending">, { title: string; body: string }> = {
  accepted: { title: "This invite has already been used", body: "Each invite link works once. Ask the person who invited you for a new link." },
  revoked: { title: "This invite has been revoked", body: "The link was cancelled. Ask the person who invited you for a new one." },
  expired: { title: "This invite has expired", body: "Ask the person who invited you for a new link." },
};

function useInvitePreview(token: string) {
  return useQuery({
    queryKey: ["invite", token, "preview"],
    queryFn: ({ signal }) => api<{ invite: TInvitePreview }>(`/api/invites/${encodeURIComponent(token)}`, { signal }).then((r) => r.invite),
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
  });
}

function InviteHeading({ invite }: { invite: TInvitePreview }) {
  return (
    <div className="flex flex-col items-center text-center">
      <Avatar name={invite.workspace.name} seed={invite.workspace.id} size="lg" />
      <p className="mt-4 text-[15px] text-slate-600">
        <strong className="font-semibold text-slate-900">{invite.invitedBy}</strong> invited you to join
      </p>
      <h1 className="mt-1 text-2xl font-bold break-words text-slate-900">{invite.workspace.name}</h1>
    </div>
  );
}

function InviteFacts({ invite }: { invite: TInvitePreview }) {
  return (
    <dl className="mt-6 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg bg-slate-50 px-4 py-3 text-sm">
      <dt className="text-slate-500">Role</dt>
      <dd className="font-medium text-slate-800">{roleLabels[invite.role]}</dd>
      {invite.email && (
        <>
          <dt className="text-slate-500">For</dt>
          <dd className="font-medium break-all text-slate-800">{invite.email}</dd>
        </>
      )}
      <dt className="text-slate-500">{invite.status === "expired" ? "Expired" : "Expires"}</dt>
      <dd className="font-medium text-slate-800">
        <time dateTime={invite.expiresAt} title={formatDateTime(invite.expiresAt)}>
          {formatRelative(invite.expiresAt)}
        </time>
      </dd>
    </dl>
  );
}

function SignedOutActions({ token }: { token: string }) {
  const returnPath = `/invite/${token}`;
  return (
    <div className="mt-6 space-y-3">
      <Link href={withCallbackUrl("/signup", returnPath)} className="flex h-11 w-full items-center justify-center rounded-md bg-[#611f69] px-5 font-semibold text-white shadow-sm hover:bg-[#4a154b] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[#611f69]">
        Create an account
      </Link>
      <Link href={withCallbackUrl("/login", returnPath)} className="flex h-11 w-full items-center justify-center rounded-md border border-slate-300 bg-white px-5 font-semibold text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-500">
        Sign in to join
      </Link>
    </div>
  );
}

function JoinAction({ token, invite, signedInEmail }: { token: string; invite: TInvitePreview; signedInEmail?: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [isJoining, setJoining] = useState(false);
  const [error, setError] = useState<string>();

  async function join() {
    setJoining(true);
    setError(undefined);
    try {
      const { workspace } = await api<{ workspace: TMyWorkspace }>(`/api/invites/${encodeURIComponent(token)}`, { method: "POST" });
      rememberLastWorkspace(workspace.slug);
      await refreshAfterChange(queryClient, queryKeys.myWorkspaces);
      router.push(`/w/${encodeURIComponent(workspace.slug)}`);
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      setError(describeError(err));
      setJoining(false);
      // A 410 means the invite changed under us (used by someone else): show its new state.
      if (err instanceof ApiError && err.status === 410) void refreshAfterChange(queryClient, ["invite", token]);
    }
  }

  const isForSomeoneElse = !!invite.email && !!signedInEmail && invite.email !== signedInEmail.toLowerCase();
  return (
    <div className="mt-6 space-y-3">
      {isForSomeoneElse && !error && (
        <Alert tone="warning">
          This invite is for {invite.email}. Sign out and sign in with that address to accept it.
        </Alert>
      )}
      {error && <Alert>{error}</Alert>}
      <Button size="lg" className="w-full" onClick={join} isLoading={isJoining}>
        <span className="truncate">Join {invite.workspace.name}</span>
      </Button>
      {signedInEmail && (
        <p className="flex flex-wrap items-center justify-center gap-x-2 gap-y-1 text-sm text-slate-600">
          <span>
            Signed in as <span className="font-medium break-all text-slate-800">{signedInEmail}</span>.
          </span>
          <SignOutButton variant="link" size="sm" />
        </p>
      )}
    </div>
  );
}

/** /invite/<token>: who invited me where, and joining (or signing in / up first). */
export function InviteCard({ token, isSignedIn, signedInEmail }: { token: string; isSignedIn: boolean; signedInEmail?: string }) {
  const { data: invite, error, isPending } = useInvitePreview(token);

  if (isPending) return <LoadingRow label="Loading invite…" />;
  if (error) {
    const isInvalid = error instanceof ApiError && error.status === 404;
    return (
      <div className="text-center">
        <h1 className="text-xl font-bold text-slate-900">{isInvalid ? "This invite link is not valid" : "Could not load this invite"}</h1>
        <p className="mt-2 text-[15px] text-slate-600">{isInvalid ? "Check that you copied the whole link, or ask for a new one." : describeError(error)}</p>
        <Link href="/" className="mt-6 inline-block font-semibold text-[#1264a3] hover:underline">
          Go to Parley
        </Link>
      </div>
    );
  }

  return (
    <div>
      <InviteHeading invite={invite} />
      {invite.status !== "pending" ? (
        <>
          <Alert tone="warning" className="mt-6" title={unusableInviteText[invite.status].title}>
            {unusableInviteText[invite.status].body}
          </Alert>
          <InviteFacts invite={invite} />
          <p className="mt-6 text-center text-sm">
            <Link href="/" className="font-semibold text-[#1264a3] hover:underline">
              Go to Parley
            </Link>
          </p>
        </>
      ) : (
        <>
          <InviteFacts invite={invite} />
          {isSignedIn ? <JoinAction token={token} invite={invite} signedInEmail={signedInEmail} /> : <SignedOutActions token={token} />}
        </>
      )}
    </div>
  );
}
