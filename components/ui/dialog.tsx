"use client";

import { useEffect, useId, useRef } from "react";
import { cn } from "@/components/ui/cn";

type TDialogProps = {
  open: boolean;
  onClose: () => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Buttons row at the bottom (Cancel / Save). */
  footer?: React.ReactNode;
  size?: "sm" | "md" | "lg";
  className?: string;
};

const sizeClasses = { sm: "max-w-md", md: "max-w-lg", lg: "max-w-2xl" };

/**
 * A modal built on the native <dialog>: the browser gives us the focus trap, Escape, an inert
 * background and the top layer, so no dependency is needed. Closed dialogs render nothing inside,
 * but the caller's state (a half-typed form) lives outside and survives closing.
 */
export function Dialog({ open, onClose, title, description, children, footer, size = "md", className }: TDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // A drag that starts inside (selecting text) and ends on the backdrop must not close the dialog.
  const pressStartedOnBackdrop = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        e.preventDefault(); // We close through state, so React and the DOM never disagree.
        onClose();
      }}
      onMouseDown={(e) => {
        pressStartedOnBackdrop.current = e.target === e.currentTarget;
      }}
      onClick={(e) => {
        if (pressStartedOnBackdrop.current && e.target === e.currentTarget) onClose();
      }}
      className={cn(
        "m-auto w-[calc(100%-2rem)] rounded-xl bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-900/50",
        "max-h-[min(90dvh,720px)] overflow-hidden open:flex open:flex-col",
        sizeClasses[size],
        className,
      )}
    >
      {open && (
        <>
          <header className="flex items-start justify-between gap-4 px-6 pt-5 pb-3">
            <div className="min-w-0">
              <h2 id={titleId} className="text-xl font-bold break-words text-slate-900">
                {title}
              </h2>
              {description && (
                <p id={descriptionId} className="mt-1 text-sm text-slate-600">
                  {description}
                </p>
              )}
            </div>
            <button type="button" onClick={onClose} aria-label="Close" className="-mr-2 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-slate-500">
              <svg viewBox="0 0 20 20" className="size-5" fill="currentColor" aria-hidden="true">
                <path d="M5.28 4.22a.75.75 0 0 0-1.06 1.06L8.94 10l-4.72 4.72a.75.75 0 1 0 1.06 1.06L10 11.06l4.72 4.72a.75.75 0 1 0 1.06-1.06L11.06 10l4.72-4.72a.75.75 0 0 0-1.06-1.06L10 8.94 5.28 4.22Z" />
              </svg>
            </button>
          </header>
          <div className="min-h-0 flex-1 overflow-y-auto px-6 pb-5">{children}</div>
          {footer && <footer className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-6 py-3">{footer}</footer>}
        </>
      )}
    </dialog>
  );
}
