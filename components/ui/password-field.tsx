"use client";

import { useState } from "react";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

type TPasswordFieldProps = Omit<React.ComponentProps<"input">, "id" | "type"> & { label: React.ReactNode; error?: string; hint?: React.ReactNode; aside?: React.ReactNode };

/** A password input with a Show/Hide toggle, so people can check what they typed. */
export function PasswordField({ label, error, hint, aside, ...inputProps }: TPasswordFieldProps) {
  const [isVisible, setVisible] = useState(false);
  return (
    <Field label={label} error={error} hint={hint} aside={aside}>
      {(control) => (
        <div className="relative">
          <Input {...inputProps} {...control} type={isVisible ? "text" : "password"} className="pr-16" spellCheck={false} autoCapitalize="none" />
          <button
            type="button"
            onClick={() => setVisible((v) => !v)}
            aria-pressed={isVisible}
            aria-controls={control.id}
            className="absolute inset-y-1 right-1 rounded px-2 text-xs font-semibold text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-500"
          >
            {isVisible ? "Hide" : "Show"}
            <span className="sr-only"> password</span>
          </button>
        </div>
      )}
    </Field>
  );
}
