"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field, TextField } from "@/components/ui/field";
import { formatDateTime } from "@/components/ui/format-date";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Input, Select } from "@/components/ui/input";
import { getInvitableRoles } from "@/components/workspace/member-permissions";
import { isUnauthorized, queryKeys, redirectToLogin } from "@/components/workspace/queries";
import { roleLabels } from "@/components/workspace/role-badge";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import type { TRole } from "@/lib/permissions";
import { ZCreateInvite, type TInvite } from "@/lib/workspaces/schema";

const expiryOptions = [
  { hours: 1, label: "1 hour" },
  { hours: 24, label: "1 day" },
  { hours: 24 * 7, label: "7 days" },
  { hours: 24 * 30, label: "30 days" },
];

const inviteLabels = { email: "Email", role: "Role", expiresInHours: "Expiry" };

type TInviteValues = { email: string; role: "ADMIN" | "MEMBER" | "GUEST"; expiresInHours: number };
type TCreatedInvite = { invite: TInvite; path: string };

function CreatedInviteLink({ created }: { created: TCreatedInvite }) {
  // Built from the address bar, not the server's idea of its origin: behind a proxy only the browser
  // knows the address people actually use.
  const url = `${window.location.origin}${created.path}`;
  return (
    <div className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50/60 p-4">
      <p className="text-sm font-semibold text-emerald-900">
        Invite link created{created.invite.email ? ` for ${created.invite.email}` : ""}
      </p>
      <Field label="Invite link" hint={`Works once, as ${roleLabels[created.invite.role].toLowerCase()}, until ${formatDateTime(created.invite.expiresAt)}. Copy it now: it is not shown again.`}>
        {(control) => (
          <div className="flex gap-2">
            <Input {...control} readOnly value={url} onFocus={(e) => e.currentTarget.select()} className="font-mono text-sm" />
            <CopyButton text={url} label="Copy link" />
          </div>
        )}
      </Field>
    </div>
  );
}

/** Creates an invite link (optionally for one email address) and shows it with a Copy button. */
export function CreateInviteForm({ slug, myRole }: { slug: string; myRole: TRole }) {
  const queryClient = useQueryClient();
  const roles = getInvitableRoles(myRole);
  const [values, setValues] = useState<TInviteValues>({ email: "", role: "MEMBER", expiresInHours: 24 * 7 });
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSubmitting, setSubmitting] = useState(false);
  const [created, setCreated] = useState<TCreatedInvite | null>(null);

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = { email: values.email.trim() || undefined, role: values.role, expiresInHours: values.expiresInHours };
    const checked = validateForm(ZCreateInvite, input, inviteLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    setSubmitting(true);
    try {
      const result = await api<TCreatedInvite>(`/api/workspaces/${encodeURIComponent(slug)}/invites`, { body: checked.data });
      setCreated({ invite: result.invite, path: result.path });
      setValues((v) => ({ ...v, email: "" }));
      void refreshAfterChange(queryClient, queryKeys.invites(slug));
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      // "x is already a member" is a conflict about the email.
      setErrors(toFormErrors(err, inviteLabels, { conflictField: values.email.trim() ? "email" : undefined }));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="space-y-5">
      <form onSubmit={handleSubmit} noValidate aria-label="Create an invite link" className="space-y-4">
        {errors.form && <Alert>{errors.form}</Alert>}
        <div className="grid gap-4 sm:grid-cols-[1fr_10rem_9rem]">
          <TextField
            label={
              <>
                Email <span className="font-normal text-slate-500">(optional)</span>
              </>
            }
            name="email"
            type="email"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="Anyone with the link"
            value={values.email}
            onChange={(e) => {
              setValues((v) => ({ ...v, email: e.target.value }));
              setErrors((current) => clearFieldError(current, "email"));
            }}
            error={errors.fields.email}
          />
          <Field label="Role" error={errors.fields.role}>
            {(control) => (
              <Select {...control} name="role" value={values.role} onChange={(e) => setValues((v) => ({ ...v, role: e.target.value as TInviteValues["role"] }))} disabled={roles.length < 2}>
                {roles.map((role) => (
                  <option key={role} value={role}>
                    {roleLabels[role]}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field label="Expires after" error={errors.fields.expiresInHours}>
            {(control) => (
              <Select {...control} name="expiresInHours" value={values.expiresInHours} onChange={(e) => setValues((v) => ({ ...v, expiresInHours: Number(e.target.value) }))}>
                {expiryOptions.map((o) => (
                  <option key={o.hours} value={o.hours}>
                    {o.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <p className="text-sm text-slate-500">With an email, only that person can use the link. Each link works once.</p>
        <div className="flex justify-end">
          <Button type="submit" isLoading={isSubmitting}>
            {isSubmitting ? "Creating link…" : "Create invite link"}
          </Button>
        </div>
      </form>
      {created && <CreatedInviteLink created={created} />}
    </div>
  );
}
