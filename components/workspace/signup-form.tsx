"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { PasswordField } from "@/components/ui/password-field";
import { getSafeCallbackPath, withCallbackUrl } from "@/components/workspace/callback-url";
import { signInWithPassword } from "@/components/workspace/sign-in-with-password";
import { api } from "@/lib/client/api";
import { ZSignUp } from "@/lib/users/schema";

type TSignUpValues = { name: string; email: string; password: string };

/** How each field is named inside an error sentence ("Password must be at least 8 characters"). */
const signUpLabels = { name: "Name", email: "Email", password: "Password" };

/** Creates an account, signs in with it and continues to where the person was going. */
export function SignupForm({ rawCallbackUrl }: { rawCallbackUrl?: string }) {
  const router = useRouter();
  const [values, setValues] = useState<TSignUpValues>({ name: "", email: "", password: "" });
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSubmitting, setSubmitting] = useState(false);
  const linkCallbackPath = getSafeCallbackPath(rawCallbackUrl);

  const update = (field: keyof TSignUpValues) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((current) => clearFieldError(current, field));
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZSignUp, values, signUpLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    setSubmitting(true);
    try {
      await api("/api/auth/signup", { body: checked.data });
    } catch (err) {
      setErrors(toFormErrors(err, signUpLabels, { conflictField: "email" }));
      setSubmitting(false);
      return;
    }
    try {
      const outcome = await signInWithPassword(checked.data.email, values.password);
      if (!outcome.ok) {
        // The account exists; only the automatic sign-in failed (rate limit, say).
        setErrors({ fields: {}, form: `Your account was created, but signing in failed: ${outcome.message}` });
        setSubmitting(false);
        return;
      }
      router.replace(getSafeCallbackPath(rawCallbackUrl, "/workspaces", window.location.origin));
      router.refresh();
    } catch {
      setErrors({ fields: {}, form: "Your account was created, but we could not reach the server to sign you in" });
      setSubmitting(false);
    }
  }

  return (
    <form method="post" onSubmit={handleSubmit} noValidate className="space-y-5" aria-label="Create an account">
      {errors.form && <Alert>{errors.form}</Alert>}
      <TextField label="Full name" name="name" autoComplete="name" placeholder="e.g. Ada Lovelace or 王小明" value={values.name} onChange={update("name")} error={errors.fields.name} maxLength={80} autoFocus />
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
      />
      <PasswordField label="Password" name="password" autoComplete="new-password" hint="At least 8 characters" value={values.password} onChange={update("password")} error={errors.fields.password} />
      <Button type="submit" size="lg" className="w-full" isLoading={isSubmitting}>
        {isSubmitting ? "Creating your account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link href={withCallbackUrl("/login", linkCallbackPath)} className="font-semibold text-[#1264a3] hover:underline">
          Sign in
        </Link>
      </p>
    </form>
  );
}
