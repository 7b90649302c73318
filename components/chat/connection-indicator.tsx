"use client";
/** A small dot and word telling whether live updates are flowing. */
import { cn } from "@/components/ui/cn";
import { useConnectionState } from "@/lib/client/realtime";

const labels = { connected: "Connected", connecting: "Connecting…", reconnecting: "Reconnecting…" } as const;

export function ConnectionIndicator({ className }: { className?: string }) {
  const state = useConnectionState();
  return (
    <span data-testid="connection-status" data-state={state} role="status" className={cn("inline-flex items-center gap-1.5 text-xs", className)}>
      <span aria-hidden="true" className={cn("size-2 rounded-full", state === "connected" ? "bg-emerald-400" : "animate-pulse bg-amber-400")} />
      {labels[state]}
    </span>
  );
}
