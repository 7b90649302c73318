/** The workspace someone used last on this device, so "/" can take them straight back to it. */
const storageKey = "parley:last-workspace";

/** Remembers `slug` as the last used workspace (no-op where storage is blocked). */
export function rememberLastWorkspace(slug: string): void {
  try {
    window.localStorage.setItem(storageKey, slug);
  } catch {
    // Private mode or storage disabled: "/" falls back to the workspace list.
  }
}

/** The last used workspace's slug, if any. */
export function readLastWorkspace(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** Forgets the last workspace (signed out, or no longer a member there). */
export function forgetLastWorkspace(): void {
  try {
    window.localStorage.removeItem(storageKey);
  } catch {
    // Nothing to forget.
  }
}
