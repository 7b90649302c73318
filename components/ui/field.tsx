"use client";

import { useId } from "react";
import { Input } from "@/components/ui/input";

/** Props a form control needs to be tied to its label, hint and error. */
export type TControlProps = { id: string; "aria-invalid": boolean; "aria-describedby"?: string };

type TFieldProps = {
  label: React.ReactNode;
  error?: string;
  hint?: React.ReactNode;
  /** Shown right of the label (a "Forgot?" link, a character count). */
  aside?: React.ReactNode;
  children: (control: TControlProps) => React.ReactNode;
};

/** A labelled form control with an optional hint and the error for that field right under it. */
export function Field({ label, error, hint, aside, children }: TFieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1.5">
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="text-sm font-semibold text-slate-800">
          {label}
        </label>
        {aside}
      </div>
      {children({ id, "aria-invalid": !!error, "aria-describedby": describedBy })}
      {error && (
        <p id={errorId} className="flex items-start gap-1 text-sm text-red-700">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      )}
      {hint && !error && (
        <p id={hintId} className="text-sm text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

type TTextFieldProps = Omit<React.ComponentProps<"input">, "id"> & { label: React.ReactNode; error?: string; hint?: React.ReactNode; aside?: React.ReactNode };

/** The common case: a labelled text input with its error. */
export function TextField({ label, error, hint, aside, ...inputProps }: TTextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint} aside={aside}>
      {(control) => <Input {...inputProps} {...control} />}
    </Field>
  );
}
