"use client";
/** Replaces the current URL with a conversation's (used by /w/:slug to open #general). */
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { LoadingRow } from "@/components/ui/spinner";

export function OpenConversation({ href }: { href: string }) {
  const router = useRouter();
  useEffect(() => router.replace(href), [router, href]);
  return <LoadingRow />;
}
