"use client";
/**
 * Which conversation the URL shows, and switching between conversations without a server round trip.
 *
 * A conversation's route payload holds nothing but an auth check and <ConversationRoute>, which
 * reads the conversation from the URL; every read behind it is checked by the API. So once one
 * conversation is on screen, switching to another of the same workspace only has to change the URL
 * (`history.pushState`, which Next's router turns into a new pathname for `usePathname`): no RSC
 * request, no wait for the server — the first visit to a channel costs what switching back does.
 * Loading a conversation's URL, reloading, other screens and new tabs take the normal route (and
 * its auth check). Next's router keeps the route tree of the page it last rendered, so `useParams`
 * would keep the old id: read the conversation with useOpenChannelId() instead.
 */
import { usePathname } from "next/navigation";
import { useEffect, useSyncExternalStore } from "react";

const CONVERSATION_PATH = /^\/w\/([^/]+)\/c\/([^/]+)\/?$/;

/** The conversation id in a pathname like `/w/:slug/c/:channelId`, or null. */
export function getConversationIdFromPath(pathname: string | null | undefined): string | null {
  const match = pathname ? CONVERSATION_PATH.exec(pathname) : null;
  if (!match) return null;
  return safeDecode(match[2]!);
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

/**
 * The latest in-place switch: the pathname it went to, and the router's pathname when it was made.
 * Next applies a pushState to `usePathname` in a transition, which rendered the new view 124–227 ms
 * after the click on a busy machine (measured); the switch is shown at once instead, by a synchronous
 * store update in the click (the view was in the DOM 27–111 ms after the click in the same runs).
 * It stands only while the router's pathname is still the one it was made from, and is dropped once
 * the router has moved on (to the same URL, or by a navigation, Back or Forward).
 */
let inPlaceSwitch: { pathname: string; from: string } | null = null;
const switchListeners = new Set<() => void>();
let isListeningToPopState = false;

function setInPlaceSwitch(next: typeof inPlaceSwitch): void {
  inPlaceSwitch = next;
  for (const listener of switchListeners) listener();
}

function clearInPlaceSwitch(): void {
  if (inPlaceSwitch) setInPlaceSwitch(null);
}

function subscribeToSwitches(listener: () => void): () => void {
  switchListeners.add(listener);
  return () => switchListeners.delete(listener);
}

const getInPlaceSwitch = () => inPlaceSwitch;
const getNoSwitch = () => null;

/** The conversation the URL shows (null on other workspace screens). */
export function useOpenChannelId(): string | null {
  const routerPathname = usePathname();
  const pending = useSyncExternalStore(subscribeToSwitches, getInPlaceSwitch, getNoSwitch);
  const isPending = !!pending && pending.from === routerPathname;
  useEffect(() => {
    if (pending && !isPending) clearInPlaceSwitch();
  }, [pending, isPending]);
  return getConversationIdFromPath(isPending ? pending.pathname : routerPathname);
}

/** The URL of a conversation (`search` with its `?`, e.g. `?thread=<root id>`). */
export function getConversationHref(slug: string, channelId: string, search = ""): string {
  return `/w/${encodeURIComponent(slug)}/c/${encodeURIComponent(channelId)}${search}`;
}

/**
 * Shows another conversation of workspace `slug` by changing the URL in place, when a conversation
 * of that workspace is on screen now; returns false otherwise (the caller navigates normally).
 */
export function switchConversationInPlace(slug: string, channelId: string, search = ""): boolean {
  if (typeof window === "undefined") return false;
  const current = CONVERSATION_PATH.exec(window.location.pathname);
  if (!current || safeDecode(current[1]!) !== slug) return false;
  const href = getConversationHref(slug, channelId, search);
  if (href === window.location.pathname + window.location.search) return true;
  if (!isListeningToPopState) {
    isListeningToPopState = true;
    window.addEventListener("popstate", clearInPlaceSwitch); // Back or Forward: the router's URL counts.
  }
  // Still waiting for the router to take the previous switch: it is still at that one's origin.
  const from = inPlaceSwitch?.from ?? window.location.pathname;
  setInPlaceSwitch({ pathname: new URL(href, window.location.href).pathname, from });
  window.history.pushState(null, "", href);
  return true;
}

/** A plain left click (no modifier): the one a page may handle itself instead of following the link. */
export function isPlainClick(event: React.MouseEvent): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
