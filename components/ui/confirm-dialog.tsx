"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";

type TConfirmDialogProps = {
  open: boolean;
  title: React.ReactNode;
  children: React.ReactNode;
  confirmLabel: string;
  tone?: "danger" | "primary";
  isPending?: boolean;
  /** The server's answer when the action failed; the dialog stays open to show it. */
  error?: string;
  onConfirm: () => void;
  onCancel: () => void;
};

/** "Are you sure?" for actions that are hard to undo. */
export function ConfirmDialog({ open, title, children, confirmLabel, tone = "danger", isPending, error, onConfirm, onCancel }: TConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onCancel}
      title={title}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={onCancel} disabled={isPending}>
            Cancel
          </Button>
          <Button variant={tone} onClick={onConfirm} isLoading={isPending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="space-y-3 text-[15px] text-slate-700">
        {children}
        {error && <Alert>{error}</Alert>}
      </div>
    </Dialog>
  );
}
