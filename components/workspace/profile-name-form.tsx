"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { isUnauthorized, queryKeys, redirectToLogin } from "@/components/workspace/queries";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { ZUpdateProfile, type TPublicUser } from "@/lib/users/schema";

const profileLabels = { name: "Name" };

/** Changes the display name others see. */
export function ProfileNameForm({ user }: { user: TPublicUser }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(user.name);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSaving, setSaving] = useState(false);
  const [isSaved, setSaved] = useState(false);
  const isUnchanged = name.trim() === user.name;

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZUpdateProfile, { name }, profileLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    setSaving(true);
    try {
      const { user: updated } = await api<{ user: TPublicUser }>("/api/me", { method: "PATCH", body: checked.data });
      queryClient.setQueryData(queryKeys.me, updated);
      // The chat shell's ["me"], member lists and channel details show the name too.
      void refreshAfterChange(queryClient);
      setName(updated.name);
      setSaved(true);
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      setErrors(toFormErrors(err, profileLabels));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="Your name" className="space-y-4">
      {errors.form && <Alert>{errors.form}</Alert>}
      {isSaved && isUnchanged && <Alert tone="success">Your name was saved.</Alert>}
      <TextField
        label="Full name"
        name="name"
        autoComplete="name"
        maxLength={80}
        hint="How you appear to people in your workspaces."
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setSaved(false);
          setErrors((current) => clearFieldError(current, "name"));
        }}
        error={errors.fields.name}
      />
      <div className="flex justify-end">
        <Button type="submit" isLoading={isSaving} disabled={isUnchanged}>
          {isSaving ? "Saving…" : "Save name"}
        </Button>
      </div>
    </form>
  );
}
