"use client";

import { useState } from "react";
import { Avatar } from "@/components/ui/avatar";
import type { TBot } from "@/lib/integrations/schema";

/** The bot's picture when it has one that loads, its initials otherwise. */
export function BotAvatar({ bot, size = "md" }: { bot: Pick<TBot, "name" | "avatarUrl" | "userId">; size?: "md" | "lg" }) {
  const [failed, setFailed] = useState(false);
  const px = size === "lg" ? "size-12" : "size-9";
  if (bot.avatarUrl && !failed) {
    // A plain <img>: avatars are arbitrary external URLs, which next/image would need configured per host.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={bot.avatarUrl} alt="" className={`${px} shrink-0 rounded-md bg-slate-100 object-cover`} onError={() => setFailed(true)} referrerPolicy="no-referrer" />;
  }
  return <Avatar name={bot.name} seed={bot.userId} size={size} />;
}
