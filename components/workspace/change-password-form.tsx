"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { PasswordField } from "@/components/ui/password-field";
import { isUnauthorized, redirectToLogin } from "@/components/workspace/queries";
import { signInWithPassword } from "@/components/workspace/sign-in-with-password";
import { api } from "@/lib/client/api";
import { ZChangePassword } from "@/lib/users/schema";

type TPasswordValues = { currentPassword: string; newPassword: string; confirmPassword: string };

const emptyValues: TPasswordValues = { currentPassword: "", newPassword: "", confirmPassword: "" };
const passwordLabels = { currentPassword: "Current password", newPassword: "New password" };

/**
 * Changes the password. The server ends every session, this one included, so we sign straight back
 * in with the new password: this tab stays signed in, other devices are signed out.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const [values, setValues] = useState<TPasswordValues>(emptyValues);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSaving, setSaving] = useState(false);
  const [isChanged, setChanged] = useState(false);

  const update = (field: keyof TPasswordValues) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setChanged(false);
    setErrors((current) => clearFieldError(current, field));
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!values.currentPassword) return setErrors({ fields: { currentPassword: "Enter your current password" } });
    const checked = validateForm(ZChangePassword, values, passwordLabels);
    if (!checked.ok) return setErrors(checked.errors);
    if (values.newPassword !== values.confirmPassword) return setErrors({ fields: { confirmPassword: "The two new passwords do not match" } });
    setErrors(noFormErrors);
    setSaving(true);
    try {
      await api("/api/me/password", { body: checked.data });
    } catch (err) {
      setSaving(false);
      if (isUnauthorized(err)) return redirectToLogin();
      return setErrors(toFormErrors(err, passwordLabels));
    }
    try {
      const outcome = await signInWithPassword(email, values.newPassword);
      if (!outcome.ok) throw new Error(outcome.message);
      setValues(emptyValues);
      setChanged(true);
    } catch {
      // The password did change; only signing back in failed. Send them to sign in by hand.
      window.location.assign(`/login?callbackUrl=${encodeURIComponent("/profile")}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <form method="post" onSubmit={handleSubmit} noValidate aria-label="Change password" className="space-y-4">
      {errors.form && <Alert>{errors.form}</Alert>}
      {isChanged && <Alert tone="success">Password changed. You are still signed in here; your other devices were signed out.</Alert>}
      {/* Lets password managers tie the new password to the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <PasswordField label="Current password" name="currentPassword" autoComplete="current-password" value={values.currentPassword} onChange={update("currentPassword")} error={errors.fields.currentPassword} />
      <PasswordField label="New password" name="newPassword" autoComplete="new-password" hint="At least 8 characters." value={values.newPassword} onChange={update("newPassword")} error={errors.fields.newPassword} />
      <PasswordField label="Confirm new password" name="confirmPassword" autoComplete="new-password" value={values.confirmPassword} onChange={update("confirmPassword")} error={errors.fields.confirmPassword} />
      <p className="text-sm text-slate-500">Changing your password signs you out everywhere else.</p>
      <div className="flex justify-end">
        <Button type="submit" isLoading={isSaving}>
          {isSaving ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
