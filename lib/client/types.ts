/** Shapes of the HTTP API answers the chat screens read (docs/api.md). */
export type TWorkspaceRole = "OWNER" | "ADMIN" | "MEMBER" | "GUEST";
export type TMe = { id: string; name: string; email: string; avatarUrl: string | null; isBot: boolean };
