"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useIntegrationMutation, useWebhooks, type TNewWebhook } from "@/components/integrations/queries";
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
import { api } from "@/lib/client/api";
import { apiPaths } from "@/lib/client/api-paths";
import type { TChannelView } from "@/lib/channels/schema";
import { ZCreateWebhook, type TWebhook } from "@/lib/integrations/schema";

const webhookLabels = { channelId: "Channel", name: "Name" };

/** Channels a webhook can post into: ones I am in, not DMs, not archived. */
function useWebhookChannels(slug: string) {
  return useQuery({
    queryKey: ["integrations", slug, "channels"],
    queryFn: ({ signal }) =>
      api<{ channels: TChannelView[] }>(apiPaths.sidebarChannels(slug), { signal }).then((r) =>
        r.channels.filter((c) => c.kind !== "DM" && c.kind !== "GROUP_DM" && !c.archivedAt).sort((a, b) => Number(b.isGeneral) - Number(a.isGeneral) || (a.name ?? "").localeCompare(b.name ?? "")),
      ),
  });
}

function CreateWebhookForm({ slug, channels }: { slug: string; channels: TChannelView[] }) {
  const [values, setValues] = useState({ channelId: channels[0]?.id ?? "", name: "" });
  const [errors, setErrors] = useState<TFormErrors>(noFormErrors);
  const [created, setCreated] = useState<(TNewWebhook & { channelName: string }) | null>(null);
  const create = useIntegrationMutation((input: unknown) => api<TNewWebhook>(`/api/workspaces/${encodeURIComponent(slug)}/webhooks`, { body: input }));

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const input = { channelId: values.channelId, name: values.name.trim() || undefined };
    const checked = validateForm(ZCreateWebhook, input, webhookLabels);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors(noFormErrors);
    try {
      const result = await create.mutateAsync(checked.data);
      setCreated({ ...result, channelName: channels.find((c) => c.id === checked.data.channelId)?.name ?? "" });
      setValues((v) => ({ ...v, name: "" }));
    } catch (err) {
      setErrors(toFormErrors(err, webhookLabels));
    }
  }

  return (
    <div className="space-y-4">
      <form onSubmit={handleSubmit} noValidate aria-label="Create an incoming webhook" className="space-y-4">
        {errors.form && <Alert>{errors.form}</Alert>}
        <div className="grid gap-4 sm:grid-cols-[14rem_1fr]">
          <Field label="Channel" error={errors.fields.channelId} hint={channels.length === 0 ? "Join a channel first." : undefined}>
            {(control) => (
              <Select
                {...control}
                name="channelId"
                value={values.channelId}
                onChange={(e) => {
                  setValues((v) => ({ ...v, channelId: e.target.value }));
                  setErrors((cur) => clearFieldError(cur, "channelId"));
                }}
              >
                {channels.map((c) => (
                  <option key={c.id} value={c.id}>
                    #{c.name}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <TextField
            label="Name"
            name="webhookName"
            maxLength={80}
            placeholder="Incoming webhook"
            hint="Messages show this name unless the payload sets a username."
            value={values.name}
            onChange={(e) => {
              setValues((v) => ({ ...v, name: e.target.value }));
              setErrors((cur) => clearFieldError(cur, "name"));
            }}
            error={errors.fields.name}
          />
        </div>
        <div className="flex justify-end">
          <Button type="submit" isLoading={create.isPending} disabled={channels.length === 0}>
            Create webhook
          </Button>
        </div>
      </form>
      {created && (
        <SecretReveal
          title={`Webhook “${created.webhook.name}” posts into #${created.channelName}`}
          // Built from the address bar, as invite links are: behind a proxy only the browser knows the address people use.
          secrets={[{ label: "Webhook URL", value: `${window.location.origin}${created.path}`, hint: `POST JSON such as {"text": "Hello 你好"} to it.` }]}
        >
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

function WebhooksTable({ slug, webhooks, channelName }: { slug: string; webhooks: TWebhook[]; channelName: (id: string) => string }) {
  const [revoking, setRevoking] = useState<TWebhook | null>(null);
  const revoke = useIntegrationMutation((hook: TWebhook) => api(`/api/workspaces/${encodeURIComponent(slug)}/webhooks/${encodeURIComponent(hook.id)}`, { method: "DELETE" }));
  const close = () => {
    setRevoking(null);
    revoke.reset();
  };
  if (webhooks.length === 0) return <p className="rounded-xl border border-dashed border-slate-300 bg-white px-5 py-6 text-center text-sm text-slate-500">No incoming webhooks yet.</p>;
  return (
    <>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm">
        <table className="w-full min-w-[600px] text-left text-sm">
          <caption className="sr-only">Incoming webhooks</caption>
          <thead className="border-b border-slate-200 bg-slate-50 text-xs font-semibold tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="py-2.5 pr-3 pl-4">Name</th>
              <th scope="col" className="px-3 py-2.5">Channel</th>
              <th scope="col" className="px-3 py-2.5">Last used</th>
              <th scope="col" className="px-3 py-2.5">Status</th>
              <th scope="col" className="py-2.5 pr-4 pl-3 text-right">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {webhooks.map((hook) => (
              <tr key={hook.id}>
                <td className="py-3 pr-3 pl-4 font-medium break-words text-slate-900">
                  {hook.name}
                  <span className="block text-xs font-normal text-slate-500">
                    created <time dateTime={hook.createdAt} title={formatDateTime(hook.createdAt)}>{formatRelative(hook.createdAt)}</time>
                  </span>
                </td>
                <td className="px-3 py-3 break-words text-slate-700">{channelName(hook.channelId)}</td>
                <td className="px-3 py-3 text-slate-600">
                  {hook.lastUsedAt ? (
                    <time dateTime={hook.lastUsedAt} title={formatDateTime(hook.lastUsedAt)}>
                      {formatRelative(hook.lastUsedAt)}
                    </time>
                  ) : (
                    "Never"
                  )}
                </td>
                <td className="px-3 py-3">{hook.revokedAt ? <Badge>Revoked</Badge> : <Badge tone="green">Active</Badge>}</td>
                <td className="py-3 pr-4 pl-3 text-right">
                  {!hook.revokedAt && (
                    <Button variant="danger-ghost" size="sm" onClick={() => setRevoking(hook)} aria-label={`Revoke webhook ${hook.name}`}>
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {revoking && (
        <ConfirmDialog
          open
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke webhook"
          isPending={revoke.isPending}
          error={revoke.error ? describeError(revoke.error) : undefined}
          onCancel={close}
          onConfirm={() => revoke.mutate(revoking, { onSuccess: close })}
        >
          <p>Its URL stops working at once; posts to it get 404 no_service. Messages it already posted stay.</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Incoming webhooks: create one for a channel (URL shown once), list, revoke. */
export function WebhooksSection({ slug }: { slug: string }) {
  const { data: webhooks, error, isPending } = useWebhooks(slug);
  const channels = useWebhookChannels(slug);
  const channelName = (id: string) => {
    const c = channels.data?.find((ch) => ch.id === id);
    return c ? `#${c.name}` : "A channel you are not in";
  };
  return (
    <div className="space-y-4">
      <div className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        {channels.isPending ? <LoadingRow label="Loading channels…" /> : channels.error ? <Alert>{describeError(channels.error)}</Alert> : <CreateWebhookForm slug={slug} channels={channels.data} />}
      </div>
      {isPending ? <LoadingRow label="Loading webhooks…" /> : error ? <Alert title="Could not load webhooks">{describeError(error)}</Alert> : <WebhooksTable slug={slug} webhooks={webhooks} channelName={channelName} />}
    </div>
  );
}
