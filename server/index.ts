/**
 * The Parley process. `npm run dev` runs it in development, `npm start` serves the production build.
 */
import { env } from "@/lib/env";
import { startParley } from "@/server/app";

async function main(): Promise<void> {
  const dev = env.NODE_ENV !== "production";
  const node = await startParley({ port: env.PORT, dev });
  console.log(`Parley listening on http://127.0.0.1:${node.port} (${dev ? "development" : "production"}, ${env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"}${env.REDIS_URL ? ", cluster mode through Redis" : ""})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Parley stopping (${signal})`);
    // Never hang on shutdown: a supervisor restarts us either way.
    setTimeout(() => process.exit(1), 10_000).unref();
    await node.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error("Parley failed to start:", err);
  process.exit(1);
});
