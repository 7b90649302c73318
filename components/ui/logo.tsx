import { cn } from "@/components/ui/cn";

/** The Parley mark (two overlapping speech bubbles) with the word mark. */
export function Logo({ className, showWordmark = true }: { className?: string; showWordmark?: boolean }) {
  return (
    <span className={cn("inline-flex items-center gap-2 text-slate-900", className)}>
      <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#611f69" />
        <path d="M8 10.5A2.5 2.5 0 0 1 10.5 8h8A2.5 2.5 0 0 1 21 10.5v5a2.5 2.5 0 0 1-2.5 2.5H13l-3.5 3v-3h.5A2 2 0 0 1 8 16Z" fill="#fff" />
        <path d="M23 13.5h.5A2.5 2.5 0 0 1 26 16v5a2 2 0 0 1-2 2h-.5v3L20 23h-5.5a2.5 2.5 0 0 1-2.5-2.5V20h6.5a4.5 4.5 0 0 0 4.5-4.5Z" fill="#ecb22e" />
      </svg>
      {showWordmark && <span className="text-xl font-extrabold tracking-tight">Parley</span>}
      {!showWordmark && <span className="sr-only">Parley</span>}
    </span>
  );
}
