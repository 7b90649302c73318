// GET /api/health - 200 when the database answers, 503 otherwise
import { pingDb } from "@/lib/db";
import { json } from "@/lib/http/handler";

export async function GET(): Promise<Response> {
  try {
    await pingDb();
    return json({ status: "ok" });
  } catch {
    return json({ status: "unavailable" }, 503);
  }
}
