"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Textarea } from "@/components/ui/input";

type TEditableDetailProps = {
  label: string;
  value: string;
  /** Shown instead of the value when it is empty. */
  emptyText: string;
  /** How the value is shown (e.g. with a leading #). */
  display?: (value: string) => React.ReactNode;
  canEdit: boolean;
  isMultiline?: boolean;
  maxLength?: number;
  hint?: (draft: string) => React.ReactNode;
  /** Saves the draft; throw to keep editing with the error shown (the message is taken from `toMessage`). */
  onSave: (draft: string) => Promise<void>;
  toMessage: (err: unknown) => string;
};

/** One detail (name, topic, description) shown read-only with an Edit button that turns it into a form. */
export function EditableDetail({ label, value, emptyText, display, canEdit, isMultiline, maxLength, hint, onSave, toMessage }: TEditableDetailProps) {
  const id = useId();
  const [isEditing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [error, setError] = useState<string>();
  const [isSaving, setSaving] = useState(false);

  const startEditing = () => {
    setDraft(value);
    setError(undefined);
    setEditing(true);
  };

  async function handleSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await onSave(draft);
      setEditing(false);
    } catch (err) {
      setError(toMessage(err)); // The draft stays as typed.
    } finally {
      setSaving(false);
    }
  }

  const handleKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== "Escape") return;
    // Escape inside the dialog would close it; here it only ends editing (unless an IME is composing,
    // where Escape cancels the composition).
    e.preventDefault();
    e.stopPropagation();
    if (!e.nativeEvent.isComposing) setEditing(false);
  };

  if (!isEditing) {
    return (
      <div className="flex items-start justify-between gap-4 px-4 py-3">
        <div className="min-w-0">
          <h3 className="text-sm font-semibold text-slate-800">{label}</h3>
          <div className="mt-0.5 text-[15px] break-words whitespace-pre-wrap text-slate-700">{value ? (display ? display(value) : value) : <span className="text-slate-400">{emptyText}</span>}</div>
        </div>
        {canEdit && (
          <Button variant="link" size="sm" onClick={startEditing} aria-label={`Edit ${label.toLowerCase()}`}>
            Edit
          </Button>
        )}
      </div>
    );
  }

  const control = {
    id,
    value: draft,
    maxLength,
    autoFocus: true,
    "aria-invalid": !!error,
    "aria-describedby": error ? `${id}-error` : undefined,
    onKeyDown: handleKeyDown,
  };
  return (
    <form onSubmit={handleSubmit} noValidate className="space-y-2 px-4 py-3">
      <label htmlFor={id} className="text-sm font-semibold text-slate-800">
        {label}
      </label>
      {isMultiline ? <Textarea {...control} rows={3} onChange={(e) => setDraft(e.target.value)} /> : <Input {...control} onChange={(e) => setDraft(e.target.value)} />}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-700">
          {error}
        </p>
      ) : (
        hint && <p className="text-sm text-slate-500">{hint(draft)}</p>
      )}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" size="sm" onClick={() => setEditing(false)} disabled={isSaving}>
          Cancel
        </Button>
        <Button type="submit" size="sm" isLoading={isSaving}>
          Save
        </Button>
      </div>
    </form>
  );
}
