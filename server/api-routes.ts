/**
 * The app's HTTP API (app/api/.../route.ts), answered by this server itself instead of through Next.
 * Every route module is a plain function from a fetch Request to a Response (lib/http/handler.ts), so
 * nothing of Next is needed to call it, and Next's routing around it — its request and response
 * adapters, per-request contexts and header work — cost more CPU than the query behind most API
 * reads (docs/performance.md, Simulated users, 2026-11-28).
 *
 * The files stay where Next expects them and are found by the same rules, so adding a route file is
 * all it takes. Next still answers what is not matched here: next-auth's catch-all route (it reads
 * Next's request context), and any path that is not exactly a route's (a trailing slash, which Next
 * redirects; unknown paths, its 404).
 */
import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/handler";
import { sendFetchResponse, setSecurityHeaders, toFetchRequest } from "@/server/fetch-bridge";

type TRouteHandler = (req: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;
type TRouteModule = Partial<Record<(typeof METHODS)[number], TRouteHandler>>;
type TSegment = { name: string; isParam: boolean };
type TRoute = { file: string; segments: TSegment[]; load: () => Promise<TRouteModule> };

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * The routes under `apiDir` (the app's `app/api`), most specific first as Next orders them: at each
 * position a fixed segment wins over a parameter. Catch-all segments (`[...x]`) are left to Next.
 */
export function findApiRoutes(apiDir: string): TRoute[] {
  const routes: TRoute[] = [];
  for (const entry of readdirSync(apiDir, { recursive: true, encoding: "utf8" })) {
    if (path.basename(entry) !== "route.ts") continue;
    const dirs = path.dirname(entry).split(path.sep).filter((d) => d !== ".");
    // Next's conventions: `(group)` folders add nothing to the path, `_private` folders are not routes.
    if (dirs.some((d) => d.startsWith("_") || d.startsWith("[..."))) continue;
    const segments = ["api", ...dirs]
      .filter((d) => !(d.startsWith("(") && d.endsWith(")")))
      .map((d) => (d.startsWith("[") && d.endsWith("]") ? { name: d.slice(1, -1), isParam: true } : { name: d, isParam: false }));
    const file = path.join(apiDir, entry);
    let loaded: Promise<TRouteModule> | undefined;
    routes.push({ file, segments, load: () => (loaded ??= import(pathToFileURL(file).href) as Promise<TRouteModule>) });
  }
  return routes.sort((a, b) => {
    for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
      if (a.segments[i]!.isParam !== b.segments[i]!.isParam) return a.segments[i]!.isParam ? 1 : -1;
    }
    return 0;
  });
}

/**
 * The route a path names and its parameters (decoded), or null. Throws URIError on a malformed escape,
 * and on an escaped NUL, which no name or id can hold and PostgreSQL refuses in text.
 */
export function matchApiRoute(routes: TRoute[], pathname: string): { route: TRoute; params: Record<string, string> } | null {
  const parts = pathname.split("/").slice(1);
  for (const route of routes) {
    if (route.segments.length !== parts.length) continue;
    let params: Record<string, string> | null = {};
    for (let i = 0; i < parts.length && params; i++) {
      const segment = route.segments[i]!;
      if (segment.isParam) params[segment.name] = parts[i]!;
      else if (segment.name !== parts[i]) params = null;
    }
    if (!params) continue;
    for (const [name, raw] of Object.entries(params)) {
      if (!raw) return null; // `/api/channels//messages`: not a route (Next's 404).
      const value = decodeURIComponent(raw);
      if (value.includes("\u0000")) throw new URIError("NUL in a path parameter");
      params[name] = value;
    }
    return { route, params };
  }
  return null;
}

/** An error in the API's shape; a client gone meanwhile is let go. */
function sendError(res: ServerResponse, err: unknown, allow?: string): Promise<void> {
  const response = errorResponse(err);
  if (allow) response.headers.set("allow", allow);
  return sendFetchResponse(res, response).catch(() => void res.destroy());
}

/** Answers the request if it names one of the routes; false lets the caller hand it on (to Next). */
export function createApiRoutes(apiDir = path.join(process.cwd(), "app", "api")): (req: IncomingMessage, res: ServerResponse) => boolean {
  const routes = findApiRoutes(apiDir);
  return (req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith("/api/")) return false;
    const query = url.indexOf("?");
    let found: ReturnType<typeof matchApiRoute>;
    try {
      found = matchApiRoute(routes, query === -1 ? url : url.slice(0, query));
    } catch {
      setSecurityHeaders(res);
      void sendError(res, new AppError("validation_failed", "Malformed path"));
      return true;
    }
    if (!found) return false;
    setSecurityHeaders(res);
    void answer(found.route, found.params, req, res);
    return true;
  };
}

async function answer(route: TRoute, params: Record<string, string>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const mod = await route.load();
    const allowed = METHODS.filter((m) => mod[m] || (m === "HEAD" && mod.GET) || m === "OPTIONS");
    const method = (req.method ?? "GET") as (typeof METHODS)[number];
    // As Next: HEAD is GET without its body, and OPTIONS lists the methods unless the route answers it.
    const handler = mod[method] ?? (method === "HEAD" ? mod.GET : undefined);
    if (!handler) {
      if (method === "OPTIONS") res.writeHead(204, { allow: allowed.join(", ") }).end();
      else await sendError(res, new AppError("method_not_allowed", `${req.method} is not allowed here`), allowed.join(", "));
      return;
    }
    const request = await toFetchRequest(req);
    if (!request) {
      await sendError(res, new AppError("payload_too_large", "The request body is too large"));
      return;
    }
    const response = await handler(request, { params: Promise.resolve(params) });
    await sendFetchResponse(res, response, method !== "HEAD");
  } catch (err) {
    // A route's own errors are answered by its handler; this is a module that failed to load, or a
    // client that went away mid-answer.
    if (res.headersSent) res.destroy();
    else await sendError(res, err);
  }
}
