"use client";

import { useEffect, useState } from "react";
import { useIntegrationMutation, useMyTokens, type TIssuedToken } from "@/components/integrations/queries";
import { SecretReveal } from "@/components/integrations/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, TextField } from "@/components/ui/field";
import { formatDateTime, formatRelative } from "@/components/ui/format-date";
import { clearFieldError, describeError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Select } from "@/components/ui/input";
import { LoadingRow } from "@/components/ui/spinner";
import { useMyWorkspaces } from "@/components/workspace/queries";
import { api } from "@/lib/client/api";
import { ZCreateUserToken, type TApiToken } from "@/lib/integrations/schema";

const tokenLabels = { name: "Name" };

function CreateTokenForm({ slug, workspaceName }: { slug: string; workspaceName: string }) {
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [created, setCreated] = useState<TIssuedToken | null>(null);
  const create = useIntegrationMutation((input: unknown) => api<TIssuedToken>(`/api/workspaces/${encodeURIComponent(slug)}/tokens`, { body: input }));

  useEffect(() => setCreated(null), [slug]);

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZCreateUserToken, { name }, tokenLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    try {
      setCreated(await create.mutateAsync(checked.data));
      setName("");
    } catch (err) {
      setErrors(toFormErrors(err, tokenLabels));
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={handleSubmit} noValidate aria-label="Create a personal API token" className="space-y-3">
        {errors.form && <Alert>{errors.form}</Alert>}
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-56 flex-1">
            <TextField
              label="Token name"
              name="tokenName"
              maxLength={80}
              placeholder="Laptop script / 笔记本脚本"
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setErrors((cur) => clearFieldError(cur, "name"));
              }}
              error={errors.fields.name}
            />
          </div>
          <Button type="submit" isLoading={create.isPending} className="mb-px h-10">
            Create token
          </Button>
        </div>
      </form>
      {created && (
        <SecretReveal title={`Token “${created.apiToken.name}” for ${workspaceName}`} secrets={[{ label: "Personal token", value: created.token, hint: "It acts as you, with exactly your permissions: Authorization: Bearer <token>." }]}>
          <div className="flex justify-end">
            <Button variant="ghost" size="sm" onClick={() => setCreated(null)}>
              Hide
            </Button>
          </div>
        </SecretReveal>
      )}
    </div>
  );
}

function TokensList({ slug }: { slug: string }) {
  const { data: tokens, error, isPending } = useMyTokens(slug);
  const [revoking, setRevoking] = useState<TApiToken | null>(null);
  const revoke = useIntegrationMutation((t: TApiToken) => api(`/api/tokens/${encodeURIComponent(t.id)}`, { method: "DELETE" }));
  if (isPending) return <LoadingRow label="Loading your tokens…" />;
  if (error) return <Alert title="Could not load your tokens">{describeError(error)}</Alert>;
  if (tokens.length === 0) return <p className="text-sm text-slate-500">No tokens in this workspace yet.</p>;
  const close = () => {
    setRevoking(null);
    revoke.reset();
  };
  return (
    <>
      <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Your API tokens">
        {tokens.map((t) => (
          <li key={t.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2.5">
            <div className="min-w-0">
              <p className="flex flex-wrap items-center gap-2 text-sm font-medium break-words text-slate-900">
                {t.name}
                <code className="font-mono text-xs font-normal text-slate-500" aria-label={`ends in ${t.hint}`}>
                  xoxp-…{t.hint}
                </code>
                {t.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="green">Active</Badge>}
              </p>
              <p className="text-xs text-slate-500">
                Created <time dateTime={t.createdAt} title={formatDateTime(t.createdAt)}>{formatRelative(t.createdAt)}</time> · {t.lastUsedAt ? (
                  <>
                    last used <time dateTime={t.lastUsedAt} title={formatDateTime(t.lastUsedAt)}>{formatRelative(t.lastUsedAt)}</time>
                  </>
                ) : (
                  "never used"
                )}
              </p>
            </div>
            {!t.revokedAt && (
              <Button variant="danger-ghost" size="sm" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                Revoke
              </Button>
            )}
          </li>
        ))}
      </ul>
      {revoking && (
        <ConfirmDialog
          open
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          isPending={revoke.isPending}
          error={revoke.error ? describeError(revoke.error) : undefined}
          onCancel={close}
          onConfirm={() => revoke.mutate(revoking, { onSuccess: close })}
        >
          <p>Scripts using it stop working at once (token_revoked).</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Profile → API tokens: personal xoxp- tokens per workspace, acting as me with exactly my rights. */
export function ApiTokensSection() {
  const { data: workspaces, error, isPending } = useMyWorkspaces();
  const [slug, setSlug] = useState<string | null>(null);
  if (isPending) return <LoadingRow label="Loading your workspaces…" />;
  if (error) return <Alert>{describeError(error)}</Alert>;
  if (workspaces.length === 0) return <p className="text-[15px] text-slate-600">Join a workspace to create API tokens for it.</p>;
  const current = workspaces.find((w) => w.slug === slug) ?? workspaces[0]!;
  return (
    <div className="space-y-5">
      <p className="text-[15px] text-slate-600">A personal token calls the Web API as you, with exactly your permissions, in one workspace. The token is shown once.</p>
      {workspaces.length > 1 && (
        <Field label="Workspace">
          {(control) => (
            <Select {...control} name="workspace" value={current.slug} onChange={(e) => setSlug(e.target.value)}>
              {workspaces.map((w) => (
                <option key={w.slug} value={w.slug}>
                  {w.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
      )}
      <CreateTokenForm slug={current.slug} workspaceName={current.name} />
      <TokensList slug={current.slug} />
    </div>
  );
}
