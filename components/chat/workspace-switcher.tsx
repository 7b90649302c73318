"use client";
/** The workspace name at the top of the sidebar; opens a menu to switch workspace or see them all. */
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { CheckIcon, ChevronDownIcon } from "@/components/chat/icons";
import { useMyWorkspaces } from "@/components/workspace/queries";

export function WorkspaceSwitcher({ slug, name }: { slug: string; name: string | undefined }) {
  const [isOpen, setOpen] = useState(false);
  const containerRef = useRef<HTMLDivElement>(null);
  const workspaces = useMyWorkspaces({ enabled: isOpen });

  useEffect(() => {
    if (!isOpen) return;
    const closeOnOutsideClick = (e: PointerEvent) => {
      if (!containerRef.current?.contains(e.target as Node)) setOpen(false);
    };
    const closeOnEscape = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("pointerdown", closeOnOutsideClick);
    document.addEventListener("keydown", closeOnEscape);
    return () => {
      document.removeEventListener("pointerdown", closeOnOutsideClick);
      document.removeEventListener("keydown", closeOnEscape);
    };
  }, [isOpen]);

  return (
    <div ref={containerRef} className="relative min-w-0 flex-1">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        onClick={() => setOpen((v) => !v)}
        className="flex max-w-full items-center gap-1 rounded-md px-1.5 py-1 text-left text-[17px] font-bold text-white hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-white/60"
      >
        <span className="truncate" data-testid="workspace-name">
          {name ?? slug}
        </span>
        <ChevronDownIcon className="size-4 opacity-80" />
      </button>
      {isOpen && (
        <div role="menu" aria-label="Workspaces" className="absolute top-full left-0 z-50 mt-1 w-64 overflow-hidden rounded-lg border border-slate-200 bg-white py-1 text-sm text-slate-800 shadow-xl">
          <p className="px-3 pt-1.5 pb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Your workspaces</p>
          {workspaces.isPending && <p className="px-3 py-2 text-slate-500">Loading…</p>}
          {workspaces.data?.map((w) => (
            <Link
              key={w.id}
              role="menuitem"
              href={`/w/${encodeURIComponent(w.slug)}`}
              onClick={() => setOpen(false)}
              className={cn("flex items-center gap-2 px-3 py-2 hover:bg-slate-100", w.slug === slug && "font-semibold")}
            >
              <span className="truncate">{w.name}</span>
              {w.slug === slug && <CheckIcon className="ml-auto text-emerald-600" />}
            </Link>
          ))}
          <div className="my-1 border-t border-slate-200" />
          <Link role="menuitem" href="/workspaces" onClick={() => setOpen(false)} className="block px-3 py-2 hover:bg-slate-100">
            All workspaces…
          </Link>
        </div>
      )}
    </div>
  );
}
