"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Input } from "@/components/ui/input";
import { rememberLastWorkspace } from "@/components/workspace/last-workspace";
import { queryKeys } from "@/components/workspace/queries";
import { makeRandomSuffix, suggestSlug } from "@/components/workspace/slug";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { ZCreateWorkspace, type TMyWorkspace } from "@/lib/workspaces/schema";

const workspaceLabels = { name: "Name", slug: "URL" };

/** Lower-cases and hyphenates a typed slug as the person types (the server would anyway). */
function tidySlugInput(raw: string): string {
  return raw.toLowerCase().replace(/\s+/g, "-");
}

/**
 * Creates a workspace. The URL follows the name until the person edits it themselves; names with
 * no Latin letters (中文 names) get a `team-xxxx` suggestion they can change.
 */
export function CreateWorkspaceForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [fallbackSuffix] = useState(makeRandomSuffix);
  const [name, setName] = useState("");
  const [customSlug, setCustomSlug] = useState<string | null>(null);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSubmitting, setSubmitting] = useState(false);
  const slug = customSlug ?? (name.trim() ? suggestSlug(name, fallbackSuffix) : "");

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZCreateWorkspace, { name, slug }, workspaceLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    setSubmitting(true);
    try {
      const { workspace } = await api<{ workspace: TMyWorkspace }>("/api/workspaces", { body: checked.data });
      rememberLastWorkspace(workspace.slug);
      await refreshAfterChange(queryClient, queryKeys.myWorkspaces);
      router.push(`/w/${encodeURIComponent(workspace.slug)}`);
    } catch (err) {
      setErrors(toFormErrors(err, workspaceLabels, { conflictField: "slug" }));
      setSubmitting(false);
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-label="Create a workspace" className="space-y-5">
      {errors.form && <Alert>{errors.form}</Alert>}
      <TextField
        label="Workspace name"
        name="name"
        placeholder="e.g. Acme Design or 设计团队"
        hint="Usually your company or team name."
        maxLength={80}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          setErrors((current) => clearFieldError(current, "name"));
        }}
        error={errors.fields.name}
      />
      <Field label="Workspace URL" error={errors.fields.slug} hint="Lower-case letters a–z, digits and hyphens.">
        {(control) => (
          <div className="flex items-stretch">
            <span className="inline-flex items-center rounded-l-md border border-r-0 border-slate-300 bg-slate-50 px-3 text-sm text-slate-500">/w/</span>
            <Input
              {...control}
              name="slug"
              className="rounded-l-none"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={40}
              placeholder="acme-design"
              value={slug}
              onChange={(e) => {
                setCustomSlug(tidySlugInput(e.target.value));
                setErrors((current) => clearFieldError(current, "slug"));
              }}
            />
          </div>
        )}
      </Field>
      <div className="flex justify-end">
        <Button type="submit" isLoading={isSubmitting}>
          {isSubmitting ? "Creating…" : "Create workspace"}
        </Button>
      </div>
    </form>
  );
}
