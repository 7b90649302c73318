"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { isUnauthorized, redirectToLogin } from "@/components/workspace/queries";
import { api } from "@/lib/client/api";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

/**
 * Sends a change to a conversation and refreshes what shows it: everything cached under
 * ["channel", id] (details, members) and every sidebar list (["channels", …]).
 */
export function useChannelChanges(channelId: string) {
  const queryClient = useQueryClient();
  return useCallback(
    async <T,>(path: string, init: { method: string; body?: unknown }): Promise<T> => {
      try {
        return await api<T>(path, init);
      } catch (err) {
        if (isUnauthorized(err)) redirectToLogin();
        throw err;
      } finally {
        await Promise.all([refreshAfterChange(queryClient, ["channel", channelId]), refreshAfterChange(queryClient, ["channels"])]);
      }
    },
    [channelId, queryClient],
  );
}
