"use client";
/**
 * A small floating panel next to a button, rendered in a portal with fixed coordinates so the
 * virtualised list's scroller cannot clip it. Opens below the anchor, or above when there is no room;
 * Escape or a click outside closes it and gives focus back to the anchor.
 */
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

type TPopoverProps = {
  anchor: HTMLElement | null;
  onClose: () => void;
  /** Accessible name of the panel. */
  label: string;
  width: number;
  align?: "start" | "end";
  children: React.ReactNode;
};

const MARGIN = 8;

export function Popover({ anchor, onClose, label, width, align = "end", children }: TPopoverProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ top: number; left: number } | null>(null);

  useLayoutEffect(() => {
    if (!anchor || !ref.current) return;
    const a = anchor.getBoundingClientRect();
    const height = ref.current.offsetHeight;
    const below = a.bottom + 4;
    const top = below + height + MARGIN <= window.innerHeight ? below : Math.max(MARGIN, a.top - 4 - height);
    const preferred = align === "end" ? a.right - width : a.left;
    setPosition({ top, left: Math.min(Math.max(MARGIN, preferred), window.innerWidth - width - MARGIN) });
  }, [anchor, width, align]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.stopPropagation();
      onClose();
      anchor?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (ref.current?.contains(target) || anchor?.contains(target)) return;
      onClose();
    };
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("pointerdown", onPointer, true);
    return () => {
      document.removeEventListener("keydown", onKey, true);
      document.removeEventListener("pointerdown", onPointer, true);
    };
  }, [anchor, onClose]);

  return createPortal(
    <div
      ref={ref}
      role="dialog"
      aria-label={label}
      style={{ width, top: position?.top ?? -9999, left: position?.left ?? -9999 }}
      className="fixed z-50 rounded-lg border border-slate-200 bg-white shadow-xl"
    >
      {children}
    </div>,
    document.body,
  );
}
