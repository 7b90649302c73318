"use client";

import { useState } from "react";
import { useCommands, useIntegrationMutation } from "@/components/integrations/queries";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { TextField } from "@/components/ui/field";
import { clearFieldError, describeError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { LoadingRow } from "@/components/ui/spinner";
import { api } from "@/lib/client/api";
import { ZCreateCommand, type TCommandInfo } from "@/lib/commands/schema";
import type { TBot } from "@/lib/integrations/schema";

const commandLabels = { command: "Command", url: "Request URL", description: "Description", usageHint: "Usage hint" };
type TValues = { command: string; url: string; description: string; usageHint: string };
const empty: TValues = { command: "", url: "", description: "", usageHint: "" };

function AddCommandForm({ slug, bot }: { slug: string; bot: TBot }) {
  const [values, setValues] = useState<TValues>(empty);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [added, setAdded] = useState<string | null>(null);
  const add = useIntegrationMutation((input: unknown) => api<{ command: TCommandInfo }>(`/api/workspaces/${encodeURIComponent(slug)}/commands`, { body: input }));

  const set = (key: keyof TValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => clearFieldError(e, key));
    setAdded(null);
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZCreateCommand, { botId: bot.id, ...values }, commandLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    try {
      const { command } = await add.mutateAsync(checked.data);
      setValues(empty);
      setAdded(`/${command.command} added.`);
    } catch (err) {
      setErrors(toFormErrors(err, commandLabels, { conflictField: "command" }));
    }
  }

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`Add a slash command to ${bot.name}`} className="space-y-3 rounded-md border border-slate-200 bg-slate-50/60 p-3">
      {errors.form && <Alert>{errors.form}</Alert>}
      <div className="grid gap-3 sm:grid-cols-[12rem_1fr]">
        <TextField label="Command" name="command" placeholder="/deploy" spellCheck={false} value={values.command} onChange={(e) => set("command", e.target.value)} error={errors.fields.command} />
        <TextField label="Request URL" name="commandUrl" type="url" inputMode="url" spellCheck={false} placeholder="https://example.com/slack/commands" value={values.url} onChange={(e) => set("url", e.target.value)} error={errors.fields.url} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField label="Description" name="commandDescription" maxLength={200} value={values.description} onChange={(e) => set("description", e.target.value)} error={errors.fields.description} placeholder="Deploy a branch / 部署分支" />
        <TextField label="Usage hint" name="usageHint" maxLength={100} value={values.usageHint} onChange={(e) => set("usageHint", e.target.value)} error={errors.fields.usageHint} placeholder="[branch]" />
      </div>
      <div className="flex flex-wrap items-center justify-end gap-3">
        {added && (
          <p role="status" className="mr-auto text-sm text-emerald-800">
            ✓ {added}
          </p>
        )}
        <Button type="submit" size="sm" isLoading={add.isPending}>
          Add command
        </Button>
      </div>
    </form>
  );
}

/** A bot's slash commands: list, add, remove (the registry lives in lib/commands). */
export function BotCommandsPanel({ slug, bot }: { slug: string; bot: TBot }) {
  const { data: commands, error, isPending } = useCommands(slug);
  const [removing, setRemoving] = useState<TCommandInfo | null>(null);
  const remove = useIntegrationMutation((c: TCommandInfo) => api(`/api/workspaces/${encodeURIComponent(slug)}/commands/${encodeURIComponent(c.id!)}`, { method: "DELETE" }));
  if (isPending) return <LoadingRow label="Loading slash commands…" />;
  if (error) return <Alert title="Could not load slash commands">{describeError(error)}</Alert>;
  const mine = commands.filter((c) => c.botId === bot.id);
  const close = () => {
    setRemoving(null);
    remove.reset();
  };
  return (
    <div className="space-y-3">
      {mine.length === 0 ? (
        <p className="text-sm text-slate-500">No slash commands yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label={`Slash commands of ${bot.name}`}>
          {mine.map((c) => (
            <li key={c.id} className="flex flex-wrap items-start justify-between gap-2 px-3 py-2">
              <div className="min-w-0">
                <p className="text-sm break-words">
                  <code className="font-mono font-semibold text-slate-900">/{c.command}</code>
                  {c.usageHint && <span className="ml-1.5 text-slate-500">{c.usageHint}</span>}
                </p>
                {c.description && <p className="text-sm break-words text-slate-600">{c.description}</p>}
                <p className="font-mono text-xs break-all text-slate-500">{c.url}</p>
              </div>
              <Button variant="danger-ghost" size="sm" onClick={() => setRemoving(c)} aria-label={`Remove /${c.command}`}>
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
      <AddCommandForm slug={slug} bot={bot} />
      {removing && (
        <ConfirmDialog
          open
          title={`Remove /${removing.command}?`}
          confirmLabel="Remove command"
          isPending={remove.isPending}
          error={remove.error ? describeError(remove.error) : undefined}
          onCancel={close}
          onConfirm={() => remove.mutate(removing, { onSuccess: close })}
        >
          <p>People will no longer be able to run /{removing.command} in this workspace.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
