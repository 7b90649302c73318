"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button, type TButtonProps } from "@/components/ui/button";
import { forgetLastWorkspace } from "@/components/workspace/last-workspace";

/** Signs out, forgets this device's last workspace and cached data, and goes to /login. */
export function SignOutButton(props: Omit<TButtonProps, "onClick" | "isLoading">) {
  const queryClient = useQueryClient();
  const [isSigningOut, setSigningOut] = useState(false);
  const handleSignOut = async () => {
    setSigningOut(true);
    forgetLastWorkspace();
    queryClient.clear();
    // next-auth's client is loaded only to sign out: the pages that show this button do without it.
    const { signOut } = await import("next-auth/react");
    await signOut({ callbackUrl: "/login" });
  };
  return (
    <Button variant="secondary" size="sm" {...props} onClick={handleSignOut} isLoading={isSigningOut}>
      Sign out
    </Button>
  );
}
