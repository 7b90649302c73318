"use client";
import { useState } from "react";

/**
 * True from the first render in which `open` is true. Dialogs whose code loads when first opened
 * (next/dynamic) mount then and stay mounted, so a half-typed form survives closing, as it does in
 * a dialog that is always there.
 */
export function useHasOpened(open: boolean): boolean {
  const [hasOpened, setHasOpened] = useState(open);
  if (open && !hasOpened) setHasOpened(true);
  return hasOpened || open;
}
