"use client";
/**
 * A link to a screen people open now and then (settings, profile): fetched when the pointer or focus
 * reaches it, not whenever it is in view. Next prefetches every visible link's page, and these sit
 * in the sidebar of every workspace screen: each page load asked the server to render both pages
 * (four requests, 200–500 ms of server time on a slow machine, while the conversation was loading).
 */
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

export function IntentLink({ href, ...rest }: Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string }) {
  const router = useRouter();
  const prefetch = () => router.prefetch(href);
  return <Link href={href} prefetch={false} onPointerEnter={prefetch} onPointerDown={prefetch} onFocus={prefetch} {...rest} />;
}
