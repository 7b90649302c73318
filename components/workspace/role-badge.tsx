import { Badge } from "@/components/ui/badge";
import type { TMember } from "@/lib/workspaces/schema";

type TRole = TMember["role"];

export const roleLabels: Record<TRole, string> = { OWNER: "Owner", ADMIN: "Admin", MEMBER: "Member", GUEST: "Guest" };

/** A workspace role as a pill: owners and admins stand out. */
export function RoleBadge({ role }: { role: TRole }) {
  const tone = role === "OWNER" ? "brand" : role === "ADMIN" ? "blue" : role === "GUEST" ? "amber" : "neutral";
  return <Badge tone={tone}>{roleLabels[role]}</Badge>;
}
