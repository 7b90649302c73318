/** Workspace limits the browser needs as well as the server (no zod here: see lib/messages/limits.ts). */

/** The most members one lookup by id names (`?ids=`): more than a screen of mentions, reactions and pins needs. */
export const MEMBER_LOOKUP_MAX = 100;
