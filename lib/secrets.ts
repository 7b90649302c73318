/** Secrets handed out once (invite links, API tokens, webhook URLs) are stored only as this hash. */
import { createHash } from "node:crypto";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
