"use client";

import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** One secret in a read-only field (select-all on focus) with a Copy button. */
export function SecretField({ label, value, hint }: { label: string; value: string; hint?: React.ReactNode }) {
  return (
    <Field label={label} hint={hint}>
      {(control) => (
        <div className="flex gap-2">
          <Input {...control} readOnly value={value} onFocus={(e) => e.currentTarget.select()} spellCheck={false} className="font-mono text-sm" data-secret={label} />
          <CopyButton text={value} label="Copy" aria-label={`Copy ${label.toLowerCase()}`} />
        </div>
      )}
    </Field>
  );
}

/**
 * Secrets the server returns exactly once (a token, a signing secret, a webhook URL): shown with
 * copy buttons and a plain warning that they will not be shown again.
 */
export function SecretReveal({ title, secrets, children }: { title: React.ReactNode; secrets: { label: string; value: string; hint?: React.ReactNode }[]; children?: React.ReactNode }) {
  return (
    <div className="space-y-3 rounded-lg border border-emerald-200 bg-emerald-50/60 p-4">
      <p className="text-sm font-semibold break-words text-emerald-900">{title}</p>
      <p role="note" className="flex items-start gap-1.5 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <span aria-hidden="true">⚠</span>
        <span>
          <strong>Copy {secrets.length > 1 ? "these" : "it"} now — you won’t see {secrets.length > 1 ? "them" : "it"} again.</strong> Keep {secrets.length > 1 ? "them" : "it"} somewhere safe, such as your app’s secret settings; anyone holding {secrets.length > 1 ? "them" : "it"} can act as this integration.
        </span>
      </p>
      {secrets.map((s) => (
        <SecretField key={s.label} label={s.label} value={s.value} hint={s.hint} />
      ))}
      {children}
    </div>
  );
}
