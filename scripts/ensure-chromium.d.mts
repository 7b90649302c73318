// Types for scripts/ensure-chromium.mjs (tsconfig has allowJs off; playwright.config.ts imports it).
export declare const SYSTEM_CHROMIUM: string;
export type TChromiumResolution = { path: string; source: "env" | "system" | "playwright" } | { path: null; error: string };
/** Resolves the Chromium to use without installing anything. */
export declare function resolveChromium(env?: NodeJS.ProcessEnv): TChromiumResolution;
/** Resolves Chromium, installing Debian's package with apt-get when allowed; throws with advice otherwise. */
export declare function ensureChromium(env?: NodeJS.ProcessEnv): { path: string; source: "env" | "system" | "playwright" };
