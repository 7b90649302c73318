"use client";

import { useState } from "react";
import { useIntegrationMutation } from "@/components/integrations/queries";
import { ScopeCheckboxes } from "@/components/integrations/scope-checkboxes";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Textarea } from "@/components/ui/input";
import { api } from "@/lib/client/api";
import { ZUpdateBot, type TBot, type TScope } from "@/lib/integrations/schema";

const botLabels = { name: "Name", description: "Description", avatarUrl: "Avatar URL", scopes: "Scopes" };

/** Changes a bot's name, description, avatar and scopes (new scopes apply to its live token at once). */
export function EditBotDialog({ bot, onClose }: { bot: TBot; onClose: () => void }) {
  const [values, setValues] = useState({ name: bot.name, description: bot.description, avatarUrl: bot.avatarUrl ?? "", scopes: bot.scopes as TScope[] });
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const save = useIntegrationMutation((input: unknown) => api<{ bot: TBot }>(`/api/bots/${encodeURIComponent(bot.id)}`, { method: "PATCH", body: input }));
  const set = <K extends keyof typeof values>(key: K, value: (typeof values)[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => clearFieldError(e, key));
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = { name: values.name, description: values.description, avatarUrl: values.avatarUrl.trim() || null, scopes: values.scopes };
    const checked = validateForm(ZUpdateBot, input, botLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    try {
      await save.mutateAsync(checked.data);
      onClose();
    } catch (err) {
      setErrors(toFormErrors(err, botLabels));
    }
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title={`Edit ${bot.name}`}
      size="lg"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={`edit-bot-${bot.id}`} isLoading={save.isPending}>
            Save changes
          </Button>
        </>
      }
    >
      <form id={`edit-bot-${bot.id}`} onSubmit={handleSubmit} noValidate aria-label={`Edit ${bot.name}`} className="space-y-4">
        {errors.form && <Alert>{errors.form}</Alert>}
        <TextField label="Name" name="name" maxLength={80} value={values.name} onChange={(e) => set("name", e.target.value)} error={errors.fields.name} />
        <Field label="Description" error={errors.fields.description}>
          {(control) => <Textarea {...control} name="description" maxLength={250} rows={2} value={values.description} onChange={(e) => set("description", e.target.value)} />}
        </Field>
        <TextField label="Avatar URL" name="avatarUrl" type="url" inputMode="url" spellCheck={false} value={values.avatarUrl} onChange={(e) => set("avatarUrl", e.target.value)} error={errors.fields.avatarUrl} />
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold text-slate-800">
            Scopes <span className="font-normal text-slate-500">({values.scopes.length} selected; they apply to the current token at once)</span>
          </legend>
          <ScopeCheckboxes value={values.scopes} onChange={(next) => set("scopes", next)} error={errors.fields.scopes} />
        </fieldset>
      </form>
    </Dialog>
  );
}
