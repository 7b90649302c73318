// Types for lib/http/security-headers.mjs (tsconfig has allowJs off; next.config.mjs imports it too).
export declare const SECURITY_HEADERS: readonly { key: string; value: string }[];
