// Who is signed in, and what the server can do.
//
// Authentication (issue 12) adds a root `me { id name role workspace { id name } }`. Until it lands
// the server ignores the Bearer header and has no `me`: the role is then unknown and editing is
// allowed, which the header says. Which Account fields take `first` is read from the schema, so the
// page asks for 100 rows wherever the server can cap a list, today and after the caps arrive.

import { Api, AuthError } from "./api";

export type Role = "VIEWER" | "STRATEGIST" | "INTEGRATION" | "ADMIN";

export interface Me {
  id: string;
  name: string;
  role: Role;
  workspace: { id: string; name: string } | null;
}

export interface Capabilities {
  hasMe: boolean;
  /** Account fields that accept a `first` argument. */
  accountFieldsWithFirst: Set<string>;
}

export interface Session {
  api: Api;
  me: Me | null;
  role: Role | null;
  canEdit: boolean;
  capabilities: Capabilities;
}

const EDITING_ROLES: ReadonlySet<Role> = new Set(["STRATEGIST", "ADMIN"]);

const CAPABILITIES = `
query MapCapabilities {
  queryType: __type(name: "Query") { fields { name } }
  accountType: __type(name: "Account") { fields { name args { name } } }
}`;

const ME = `query MapMe { me { id name role workspace { id name } } }`;

interface IntrospectedType {
  fields: { name: string; args?: { name: string }[] }[] | null;
}

export async function openSession(token: string): Promise<Session> {
  const api = new Api(token);
  const types = await api.request<{ queryType: IntrospectedType | null; accountType: IntrospectedType | null }>(
    CAPABILITIES,
  );
  const capabilities: Capabilities = {
    hasMe: (types.queryType?.fields ?? []).some((f) => f.name === "me"),
    accountFieldsWithFirst: new Set(
      (types.accountType?.fields ?? []).filter((f) => (f.args ?? []).some((a) => a.name === "first")).map((f) => f.name),
    ),
  };
  let me: Me | null = null;
  if (capabilities.hasMe) {
    me = (await api.request<{ me: Me | null }>(ME)).me;
    if (!me) throw new AuthError("the server does not know this key or token");
  }
  const role = me?.role ?? null;
  return { api, me, role, canEdit: role === null || EDITING_ROLES.has(role), capabilities };
}

export function roleLabel(session: Session): string {
  if (!session.capabilities.hasMe) return "Role unknown (this server has no sign-in yet): editing allowed";
  const who = session.me ? `${session.me.name} · ` : "";
  const edits = session.canEdit ? "can edit" : "read only";
  return `${who}${session.role?.toLowerCase() ?? "unknown"} (${edits})`;
}
