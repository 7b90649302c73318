"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, TextField } from "@/components/ui/field";
import { clearFieldError, noFormErrors, toFormErrors, validateForm, type TFormErrors } from "@/components/ui/form-errors";
import { Textarea } from "@/components/ui/input";
import { isUnauthorized, queryKeys, redirectToLogin, useWorkspace } from "@/components/workspace/queries";
import { ZChannelName, ZCreateChannel, type TChannelView } from "@/lib/channels/schema";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { can } from "@/lib/permissions";

type TChannelKindChoice = "PUBLIC" | "PRIVATE" | "ANNOUNCEMENT";
type TChannelValues = { name: string; kind: TChannelKindChoice; description: string };

const emptyValues: TChannelValues = { name: "", kind: "PUBLIC", description: "" };
const channelLabels = { name: "Name", kind: "Type", description: "Description" };

const kindChoices: { kind: TChannelKindChoice; title: string; description: string }[] = [
  { kind: "PUBLIC", title: "Public", description: "Anyone in the workspace can find and join it." },
  { kind: "PRIVATE", title: "Private", description: "Only people who are added can see it." },
  { kind: "ANNOUNCEMENT", title: "Announcement", description: "Everyone can join and read; only admins and chosen people post." },
];

/** What the name becomes (lower case, spaces → hyphens), or null while it is not a valid name. */
function previewChannelName(raw: string): string | null {
  const parsed = ZChannelName.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function KindChoice({ choice, isChecked, onSelect, name }: { choice: (typeof kindChoices)[number]; isChecked: boolean; onSelect: () => void; name: string }) {
  return (
    <label className={cn("flex cursor-pointer items-start gap-3 rounded-lg border px-3 py-2.5", isChecked ? "border-[#1264a3] bg-sky-50/60 ring-1 ring-[#1264a3]" : "border-slate-200 hover:bg-slate-50")}>
      <input type="radio" name={name} value={choice.kind} checked={isChecked} onChange={onSelect} className="mt-1 size-4 shrink-0 accent-[#1264a3]" />
      <span>
        <span className="block text-[15px] font-semibold text-slate-900">{choice.title}</span>
        <span className="block text-sm text-slate-600">{choice.description}</span>
      </span>
    </label>
  );
}

/** Creates a channel; the name preview shows how it will be written ("#产品-讨论", "#my-channel"). */
export function CreateChannelDialog({ slug, open, onClose, onCreated }: { slug: string; open: boolean; onClose: () => void; onCreated: (channelId: string) => void }) {
  const queryClient = useQueryClient();
  const workspace = useWorkspace(slug, { enabled: open });
  const kindGroupName = useId();
  const [values, setValues] = useState<TChannelValues>(emptyValues);
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [isSubmitting, setSubmitting] = useState(false);

  const role = workspace.data?.role;
  const mayCreate = !role || can(role, "channels.create");
  const choices = kindChoices.filter((c) => c.kind !== "ANNOUNCEMENT" || (role && can(role, "channels.create_announcement")));
  const preview = values.name.trim() ? previewChannelName(values.name) : null;

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const checked = validateForm(ZCreateChannel, values, channelLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    setSubmitting(true);
    try {
      const { channel } = await api<{ channel: TChannelView }>(`/api/workspaces/${encodeURIComponent(slug)}/channels`, { body: checked.data });
      // Prefix match: the sidebar list and the browse list both refresh.
      await refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
      setValues(emptyValues);
      onCreated(channel.id);
    } catch (err) {
      if (isUnauthorized(err)) return redirectToLogin();
      setErrors(toFormErrors(err, channelLabels, { conflictField: "name" }));
    } finally {
      setSubmitting(false);
    }
  }

  const formId = `${kindGroupName}-form`;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Create a channel"
      description="Channels are where your team talks about a topic, a project or anything else."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} isLoading={isSubmitting} disabled={!mayCreate}>
            {isSubmitting ? "Creating…" : "Create channel"}
          </Button>
        </>
      }
    >
      {!mayCreate ? (
        <Alert tone="info">Guests cannot create channels. Ask a member or an admin to create one for you.</Alert>
      ) : (
        <form id={formId} onSubmit={handleSubmit} noValidate aria-label="Create a channel" className="space-y-5">
          {errors.form && <Alert>{errors.form}</Alert>}
          <TextField
            label="Name"
            name="name"
            placeholder="e.g. plan-budget or 产品讨论"
            maxLength={81}
            autoFocus
            autoComplete="off"
            value={values.name}
            onChange={(e) => {
              const name = e.target.value;
              setValues((v) => ({ ...v, name }));
              setErrors((current) => clearFieldError(current, "name"));
            }}
            error={errors.fields.name}
            hint={
              preview ? (
                <span aria-live="polite">
                  Will be created as <strong className="font-semibold text-slate-800">#{preview}</strong>
                </span>
              ) : (
                "Lower case, no spaces: letters (any language), numbers, hyphens and underscores."
              )
            }
          />
          <fieldset className="space-y-2">
            <legend className="mb-1.5 text-sm font-semibold text-slate-800">Type</legend>
            {choices.map((choice) => (
              <KindChoice key={choice.kind} choice={choice} name={kindGroupName} isChecked={values.kind === choice.kind} onSelect={() => setValues((v) => ({ ...v, kind: choice.kind }))} />
            ))}
            {errors.fields.kind && <p className="text-sm text-red-700">{errors.fields.kind}</p>}
          </fieldset>
          <Field
            label={
              <>
                Description <span className="font-normal text-slate-500">(optional)</span>
              </>
            }
            error={errors.fields.description}
            hint="What is this channel about?"
          >
            {(control) => (
              <Textarea
                {...control}
                name="description"
                rows={3}
                maxLength={1000}
                value={values.description}
                onChange={(e) => {
                  const description = e.target.value;
                  setValues((v) => ({ ...v, description }));
                  setErrors((current) => clearFieldError(current, "description"));
                }}
              />
            )}
          </Field>
        </form>
      )}
    </Dialog>
  );
}
