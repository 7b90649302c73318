/**
 * The app's HTTP API (app/api/.../route.ts), answered by this server itself instead of through Next.
 * Every route module is a plain function from a fetch Request to a Response (lib/http/handler.ts), so
 * nothing of Next is needed to call it, and Next's routing around it — its request and response
 * adapters, per-request contexts and header work — cost more CPU than the query behind most API
 * reads (docs/performance.md, Simulated users, 2026-11-28).
 *
 * The files stay where Next expects them and are found by the same rules, so adding a route file is
 * all it takes. Next still answers what is not matched here: any path that is not exactly a route's
 * (a trailing slash, which Next redirects; unknown paths, its 404).
 */
import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/handler";
import { sendFetchResponse, setSecurityHeaders, toFetchRequest } from "@/server/fetch-bridge";

type TParams = Record<string, string | string[]>;
type TRouteHandler = (req: Request, segment: { params: Promise<TParams> }) => Promise<Response> | Response;
type TRouteModule = Partial<Record<(typeof METHODS)[number], TRouteHandler>>;
/** A path segment: a fixed name, a parameter (`[id]`), or a catch-all (`[...rest]`: one or more, last). */
type TSegment = { name: string; kind: "fixed" | "param" | "catchAll" };
const SPECIFICITY = { fixed: 0, param: 1, catchAll: 2 } as const;
type TRoute = { file: string; segments: TSegment[]; load: () => Promise<TRouteModule> };

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * The routes under `apiDir` (the app's `app/api`), most specific first as Next orders them: at each
 * position a fixed segment wins over a parameter, and a parameter over a catch-all. Optional
 * catch-alls (`[[...x]]`) are left to Next; the app has none.
 */
export function findApiRoutes(apiDir: string): TRoute[] {
  const routes: TRoute[] = [];
  for (const entry of readdirSync(apiDir, { recursive: true, encoding: "utf8" })) {
    if (path.basename(entry) !== "route.ts") continue;
    const dirs = path.dirname(entry).split(path.sep).filter((d) => d !== ".");
    // Next's conventions: `(group)` folders add nothing to the path, `_private` folders are not routes.
    if (dirs.some((d) => d.startsWith("_") || d.startsWith("[["))) continue;
    const segments = ["api", ...dirs]
      .filter((d) => !(d.startsWith("(") && d.endsWith(")")))
      .map((d): TSegment => {
        if (!(d.startsWith("[") && d.endsWith("]"))) return { name: d, kind: "fixed" };
        return d.startsWith("[...") ? { name: d.slice(4, -1), kind: "catchAll" } : { name: d.slice(1, -1), kind: "param" };
      });
    if (segments.slice(0, -1).some((seg) => seg.kind === "catchAll")) continue; // Next allows one, last.
    const file = path.join(apiDir, entry);
    let loaded: Promise<TRouteModule> | undefined;
    routes.push({ file, segments, load: () => (loaded ??= import(pathToFileURL(file).href) as Promise<TRouteModule>) });
  }
  return routes.sort((a, b) => {
    for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
      const byKind = SPECIFICITY[a.segments[i]!.kind] - SPECIFICITY[b.segments[i]!.kind];
      if (byKind) return byKind;
    }
    return 0;
  });
}

/**
 * The route a path names and its parameters (decoded; a catch-all's as a list of segments), or null.
 * Throws URIError on a malformed escape, and on an escaped NUL, which no name or id can hold and
 * PostgreSQL refuses in text.
 */
export function matchApiRoute(routes: TRoute[], pathname: string): { route: TRoute; params: TParams } | null {
  const parts = pathname.split("/").slice(1);
  for (const route of routes) {
    const catchAll = route.segments.at(-1)!.kind === "catchAll";
    if (catchAll ? parts.length < route.segments.length : parts.length !== route.segments.length) continue;
    const raw: { segment: TSegment; values: string[] }[] = [];
    let matches = true;
    for (let i = 0; i < route.segments.length && matches; i++) {
      const segment = route.segments[i]!;
      if (segment.kind === "fixed") matches = segment.name === parts[i];
      else raw.push({ segment, values: segment.kind === "catchAll" ? parts.slice(i) : [parts[i]!] });
    }
    if (!matches) continue;
    const params: TParams = {};
    for (const { segment, values } of raw) {
      // `/api/channels//messages`: not a route (Next's 404).
      if (values.some((v) => !v)) return null;
      const decoded = values.map((v) => decodeURIComponent(v));
      if (decoded.some((v) => v.includes("\u0000"))) throw new URIError("NUL in a path parameter");
      params[segment.name] = segment.kind === "catchAll" ? decoded : decoded[0]!;
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

async function answer(route: TRoute, params: TParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
