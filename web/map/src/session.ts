// Who is signed in: the key's or token's principal, from `me { id name role workspace { id name } }`.
// The page asks nothing of the schema itself (introspection is off in production): every list it
// reads takes `first`, capped at 100 by the server, and the page asks for 100 wherever it can.

import { Api, AuthError } from "./api";

export type Role = "VIEWER" | "STRATEGIST" | "INTEGRATION" | "ADMIN";

export interface Me {
  id: string;
  name: string | null;
  role: Role;
  workspace: { id: string; name: string | null };
}

export interface Session {
  api: Api;
  me: Me;
  role: Role;
  canEdit: boolean;
}

/** The roles that may write the account map (service/rules/access.py); the others see no edit control. */
const EDITING_ROLES: ReadonlySet<Role> = new Set(["STRATEGIST", "ADMIN"]);

const ME = `query MapMe { me { id name role workspace { id name } } }`;

export async function openSession(token: string): Promise<Session> {
  const api = new Api(token);
  const me = (await api.request<{ me: Me | null }>(ME)).me;
  if (!me) throw new AuthError("the server does not know this key or token");
  return { api, me, role: me.role, canEdit: EDITING_ROLES.has(me.role) };
}

export function roleLabel(session: Session): string {
  const who = session.me.name ? `${session.me.name} · ` : "";
  const edits = session.canEdit ? "can edit" : "read only";
  return `${who}${session.role.toLowerCase()} (${edits})`;
}
