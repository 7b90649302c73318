"use client";

import { useState } from "react";
import { BotAvatar } from "@/components/integrations/bot-avatar";
import { useIntegrationMutation, type TNewBot } from "@/components/integrations/queries";
import { ScopeCheckboxes } from "@/components/integrations/scope-checkboxes";
import { SecretReveal } from "@/components/integrations/secret-reveal";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Textarea } from "@/components/ui/input";
import { api } from "@/lib/client/api";
import { DEFAULT_BOT_SCOPES, ZCreateBot, type TScope } from "@/lib/integrations/schema";

const botLabels = { name: "Name", description: "Description", avatarUrl: "Avatar URL", scopes: "Scopes" };

type TValues = { name: string; description: string; avatarUrl: string; scopes: TScope[] };
const emptyValues = (): TValues => ({ name: "", description: "", avatarUrl: "", scopes: [...DEFAULT_BOT_SCOPES] });

/** "Create bot": name, description, avatar URL and scopes → the token and signing secret, shown once. */
export function CreateBotDialog({ slug, open, onClose }: { slug: string; open: boolean; onClose: () => void }) {
  const [values, setValues] = useState<TValues>(emptyValues);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [created, setCreated] = useState<TNewBot | null>(null);
  const create = useIntegrationMutation((input: unknown) => api<TNewBot>(`/api/workspaces/${encodeURIComponent(slug)}/bots`, { body: input }));

  const close = () => {
    // The secrets leave memory with the dialog: closing is the "I have copied them" moment.
    if (created) {
      setCreated(null);
      setValues(emptyValues());
    }
    setErrors(noFormErrors);
    onClose();
  };

  const set = <K extends keyof TValues>(key: K, value: TValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => clearFieldError(e, key));
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = { name: values.name, description: values.description, avatarUrl: values.avatarUrl.trim() || null, scopes: values.scopes };
    const checked = validateForm(ZCreateBot, input, botLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    try {
      setCreated(await create.mutateAsync(checked.data));
    } catch (err) {
      setErrors(toFormErrors(err, botLabels));
    }
  }

  if (created) {
    return (
      <Dialog open={open} onClose={close} title="Bot created" size="lg" footer={<Button onClick={close}>I have copied them — done</Button>}>
        <div className="space-y-4">
          <div className="flex items-center gap-3">
            <BotAvatar bot={created.bot} />
            <p className="min-w-0 font-semibold break-words text-slate-900">{created.bot.name}</p>
          </div>
          <SecretReveal
            title={`Credentials for ${created.bot.name}`}
            secrets={[
              { label: "Bot token", value: created.token, hint: "Send it as Authorization: Bearer <token> to /api/<method>." },
              { label: "Signing secret", value: created.signingSecret, hint: "Verifies that event and slash-command requests come from Parley (X-Slack-Signature)." },
            ]}
          />
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create a bot"
      description="A bot posts and reads as its own user, only in channels it is invited to or joins."
      size="lg"
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form="create-bot-form" isLoading={create.isPending}>
            {create.isPending ? "Creating…" : "Create bot"}
          </Button>
        </>
      }
    >
      <form id="create-bot-form" onSubmit={handleSubmit} noValidate aria-label="Create a bot" className="space-y-4">
        {errors.form && <Alert>{errors.form}</Alert>}
        <TextField label="Name" name="name" autoFocus maxLength={80} value={values.name} onChange={(e) => set("name", e.target.value)} error={errors.fields.name} placeholder="Deploy bot / 部署机器人" />
        <Field label="Description" error={errors.fields.description} hint="What it does, for people who see it in the workspace (up to 250 characters).">
          {(control) => <Textarea {...control} name="description" maxLength={250} rows={2} value={values.description} onChange={(e) => set("description", e.target.value)} />}
        </Field>
        <TextField
          label={
            <>
              Avatar URL <span className="font-normal text-slate-500">(optional)</span>
            </>
          }
          name="avatarUrl"
          type="url"
          inputMode="url"
          spellCheck={false}
          placeholder="https://example.com/bot.png"
          value={values.avatarUrl}
          onChange={(e) => set("avatarUrl", e.target.value)}
          error={errors.fields.avatarUrl}
        />
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-800">
            Scopes <span className="font-normal text-slate-500">({values.scopes.length} selected)</span>
          </legend>
          <p className="flex flex-wrap items-center gap-x-2 text-sm text-slate-500">
            The defaults let it read and write where it is a member.
            <Button variant="link" size="sm" onClick={() => set("scopes", [...DEFAULT_BOT_SCOPES])}>
              Reset to defaults
            </Button>
          </p>
          <ScopeCheckboxes value={values.scopes} onChange={(next) => set("scopes", next)} error={errors.fields.scopes} />
        </fieldset>
      </form>
    </Dialog>
  );
}
