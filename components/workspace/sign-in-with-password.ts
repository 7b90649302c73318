"use client";

import { signIn } from "next-auth/react";

export type TSignInOutcome = { ok: true } | { ok: false; message: string };

/** What to tell someone for each next-auth sign-in error code. */
export function describeSignInError(code: string | null | undefined): string {
  if (code === "RateLimited") return "Too many failed attempts; try again later";
  if (code === "CredentialsSignin") return "Incorrect email or password";
  return "Could not sign you in; try again";
}

/** Whether next-auth refused the request's CSRF token (it answers with its sign-in page and no error code). */
function isCsrfRejection(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    return new URL(url, window.location.origin).searchParams.has("csrf");
  } catch {
    return false;
  }
}

/**
 * Signs in with email and password without leaving the page. next-auth reports a rejected CSRF
 * token as success (ok, no error, a `?csrf=true` URL): on a first visit two parallel session
 * requests can each set a different CSRF cookie. That case is retried once with a fresh token, and
 * never mistaken for being signed in.
 */
export async function signInWithPassword(email: string, password: string): Promise<TSignInOutcome> {
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await signIn("credentials", { email, password, redirect: false });
    if (!result) return { ok: false, message: describeSignInError(null) };
    if (result.error) return { ok: false, message: describeSignInError(result.error) };
    if (isCsrfRejection(result.url)) continue;
    if (result.ok) return { ok: true };
    return { ok: false, message: describeSignInError(null) };
  }
  return { ok: false, message: "Could not sign you in; reload the page and try again" };
}
