"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, type TFormErrors } from "@/components/ui/form-errors";
import { PasswordField } from "@/components/ui/password-field";
import { getSafeCallbackPath, withCallbackUrl } from "@/components/workspace/callback-url";
import { describeSignInError, signInWithPassword } from "@/components/workspace/sign-in-with-password";

type TLoginValues = { email: string; password: string };

function checkLoginValues(values: TLoginValues): TFormErrors | null {
  const fields: Record<string, string> = {};
  if (!values.email.trim()) fields.email = "Enter your email address";
  if (!values.password) fields.password = "Enter your password";
  return Object.keys(fields).length > 0 ? { fields } : null;
}

/**
 * Email + password sign-in. Errors stay generic on purpose (no "no such account"): the server
 * answers the same for a wrong email and a wrong password.
 */
export function LoginForm({ rawCallbackUrl, initialError }: { rawCallbackUrl?: string; initialError?: string }) {
  const router = useRouter();
  const [values, setValues] = useState<TLoginValues>({ email: "", password: "" });
  const [errors, setErrors] = useState<TFormErrors>(initialError ? { fields: {}, form: describeSignInError(initialError) } : noFormErrors);
  const [isSubmitting, setSubmitting] = useState(false);
  const linkCallbackPath = getSafeCallbackPath(rawCallbackUrl);

  const update = (field: keyof TLoginValues) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((current) => clearFieldError(current, field));
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const invalid = checkLoginValues(values);
    if (invalid) return setErrors(invalid);
    setErrors(noFormErrors);
    setSubmitting(true);
    try {
      const outcome = await signInWithPassword(values.email.trim(), values.password);
      if (!outcome.ok) {
        setErrors({ fields: {}, form: outcome.message });
        setSubmitting(false);
        return;
      }
      // Stay "submitting" while the next page loads, so nobody clicks twice.
      router.replace(getSafeCallbackPath(rawCallbackUrl, "/workspaces", window.location.origin));
      router.refresh();
    } catch {
      setErrors({ fields: {}, form: "Cannot reach the server; check your connection" });
      setSubmitting(false);
    }
  }

  // method="post": should the form ever be sent natively, the password stays out of the URL.
  return (
    <form method="post" onSubmit={handleSubmit} noValidate className="space-y-5" aria-label="Sign in">
      {errors.form && <Alert>{errors.form}</Alert>}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        autoCapitalize="none"
        spellCheck={false}
        placeholder="name@work-email.com"
        value={values.email}
        onChange={update("email")}
        error={errors.fields.email}
        autoFocus
      />
      <PasswordField label="Password" name="password" autoComplete="current-password" value={values.password} onChange={update("password")} error={errors.fields.password} />
      <Button type="submit" size="lg" className="w-full" isLoading={isSubmitting}>
        {isSubmitting ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        New to Parley?{" "}
        <Link href={withCallbackUrl("/signup", linkCallbackPath)} className="font-semibold text-[#1264a3] hover:underline">
          Create an account
        </Link>
      </p>
    </form>
  );
}
