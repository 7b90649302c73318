"use client";
/** Per-channel composer drafts, kept in localStorage per person so a reload or a channel switch keeps them. */

function getDraftKey(userId: string, channelId: string): string {
  return `parley.draft.${userId}.${channelId}`;
}

/** The saved draft for a channel, or "". */
export function loadDraft(userId: string, channelId: string): string {
  try {
    return localStorage.getItem(getDraftKey(userId, channelId)) ?? "";
  } catch {
    return "";
  }
}

/** Saves (or, when blank, forgets) a channel's draft. */
export function saveDraft(userId: string, channelId: string, text: string): void {
  try {
    if (text.trim()) localStorage.setItem(getDraftKey(userId, channelId), text);
    else localStorage.removeItem(getDraftKey(userId, channelId));
  } catch {
    // Storage full or disabled: drafts are a convenience.
  }
}
