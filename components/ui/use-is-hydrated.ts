"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/** False while the server-rendered HTML is showing, true once React is listening in the browser. */
export function useIsHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
