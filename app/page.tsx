import { redirect } from "next/navigation";
import { OpenLastWorkspace } from "@/components/workspace/open-last-workspace";
import { getPageActor } from "@/lib/auth/page-session";

/** "/" — signed out: /login; signed in: the last used workspace (remembered on this device). */
export default async function HomePage() {
  if (!(await getPageActor())) redirect("/login");
  return <OpenLastWorkspace />;
}
