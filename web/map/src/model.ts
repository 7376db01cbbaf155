// The account as the page holds it, loaded through the public API: the header in one request, the
// people 100 a page through the stakeholders connection (each with their links, ties, memberships
// and coverage), so a 1,000-person account arrives in ten pages and no list is ever cut short.

import type { Api } from "./api";
import type { BuyingRole, Stance } from "./vocab";

export interface ExternalId {
  source: string;
  id: string;
}

export interface Link {
  id: string;
  from: string;
  to: string;
  strength: number;
  kind: string | null;
  topic: string | null;
  confidence: number | null;
}

export interface Tie {
  id: string;
  kind: "ALLY" | "KNOWS" | "RIVAL";
  a: string;
  b: string;
  strength: number | null;
  note: string | null;
}

export interface Coverage {
  teamMember: string;
  stakeholder: string;
  relationshipStep: number | null;
  relationshipType: string | null;
  lastContactAt: string | null;
}

export interface Person {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  email: string | null;
  phone: string | null;
  level: string | null;
  stance: Stance;
  influence: number | null;
  buyingRoles: BuyingRole[];
  buyerTypes: string[];
  adaptability: string | null;
  personality: string | null;
  contactTier: string | null;
  notes: string | null;
  version: number;
  updatedAt: string;
  lastContactAt: string | null;
  externalIds: ExternalId[];
  reportsTo: string | null;
  /** Circle id -> core member? */
  circles: Map<string, boolean>;
}

export interface Circle {
  id: string;
  name: string;
  color: string | null;
  businessValue: string | null;
  trackRecord: string | null;
  partisansAndAllies: string | null;
  philosophyAndPolicy: string | null;
  rivals: string[];
  allies: string[];
}

export interface TeamMember {
  id: string;
  name: string;
  role: string;
  email: string | null;
  externalIds: ExternalId[];
}

export interface AccountHeader {
  id: string;
  name: string;
  industry: string | null;
  tier: string | null;
  portfolioClass: string | null;
  relationshipStage: string | null;
  externalIds: ExternalId[];
  supportScore: number | null;
}

export interface AccountMap {
  account: AccountHeader;
  people: Map<string, Person>;
  links: Link[];
  ties: Tie[];
  circles: Circle[];
  team: TeamMember[];
  coverage: Coverage[];
}

const HEADER = `
query MapAccount($id: ID!) {
  account(id: $id) {
    id name industry tier portfolioClass relationshipStage supportScore
    externalIds { source id }
    circles {
      id name color businessValue trackRecord partisansAndAllies philosophyAndPolicy
      rivals { id } allies { id }
    }
    team { id name role email externalIds { source id } }
  }
}`;

export const PAGE_SIZE = 100;

const PEOPLE_PAGE = `
query MapPeople($id: ID!, $first: Int!, $after: String) {
  account(id: $id) {
    stakeholders(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id name title department email phone level stance influence buyingRoles buyerTypes
        adaptability personality contactTier notes version updatedAt lastContactAt
        externalIds { source id }
        reportsTo { id }
        circles { core circle { id } }
        influences { id strength kind topic confidence to { id } }
        ties { id kind strength note a { id } b { id } }
        coveredBy { relationshipStep relationshipType lastContactAt teamMember { id } }
      }
    }
  }
}`;

interface RawPerson extends Omit<Person, "reportsTo" | "circles"> {
  reportsTo: { id: string } | null;
  circles: { core: boolean; circle: { id: string } }[];
  influences: {
    id: string;
    strength: number;
    kind: string | null;
    topic: string | null;
    confidence: number | null;
    to: { id: string };
  }[];
  ties: { id: string; kind: Tie["kind"]; strength: number | null; note: string | null; a: { id: string }; b: { id: string } }[];
  coveredBy: {
    relationshipStep: number | null;
    relationshipType: string | null;
    lastContactAt: string | null;
    teamMember: { id: string };
  }[];
}

interface RawHeader extends Omit<AccountHeader, never> {
  circles: (Omit<Circle, "rivals" | "allies"> & { rivals: { id: string }[]; allies: { id: string }[] })[];
  team: TeamMember[];
}

interface PeoplePage {
  account: {
    stakeholders: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: RawPerson[];
    };
  } | null;
}

export class AccountNotFound extends Error {}

export async function loadAccount(
  api: Api,
  accountId: string,
  progress: (loaded: number, total: number) => void = () => {},
): Promise<AccountMap> {
  const headerRequest = api.request<{ account: RawHeader | null }>(HEADER, { id: accountId });
  const raw: RawPerson[] = [];
  let after: string | null = null;
  for (;;) {
    const page: PeoplePage = await api.request<PeoplePage>(PEOPLE_PAGE, { id: accountId, first: PAGE_SIZE, after });
    if (!page.account) throw new AccountNotFound("this account does not exist or is not yours to see");
    const { nodes, pageInfo, totalCount } = page.account.stakeholders;
    raw.push(...nodes);
    progress(raw.length, totalCount);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor) break;
    after = pageInfo.endCursor;
  }
  const header = (await headerRequest).account;
  if (!header) throw new AccountNotFound("this account does not exist or is not yours to see");
  return assemble(header, raw);
}

function assemble(header: RawHeader, raw: RawPerson[]): AccountMap {
  const people = new Map<string, Person>();
  const links: Link[] = [];
  const ties = new Map<string, Tie>();
  const coverage: Coverage[] = [];
  for (const p of raw) {
    people.set(p.id, {
      ...p,
      reportsTo: p.reportsTo?.id ?? null,
      circles: new Map(p.circles.map((m) => [m.circle.id, m.core])),
    });
    for (const l of p.influences) {
      links.push({ id: l.id, from: p.id, to: l.to.id, strength: l.strength, kind: l.kind, topic: l.topic, confidence: l.confidence });
    }
    for (const t of p.ties) {
      ties.set(t.id, { id: t.id, kind: t.kind, a: t.a.id, b: t.b.id, strength: t.strength, note: t.note });
    }
    for (const c of p.coveredBy) {
      coverage.push({
        teamMember: c.teamMember.id,
        stakeholder: p.id,
        relationshipStep: c.relationshipStep,
        relationshipType: c.relationshipType,
        lastContactAt: c.lastContactAt,
      });
    }
  }
  // A link or tie to someone outside the loaded people (archived) is not drawn.
  const known = (id: string) => people.has(id);
  const { circles, team, ...account } = header;
  return {
    account,
    people,
    links: links.filter((l) => known(l.to)),
    ties: [...ties.values()].filter((t) => known(t.a) && known(t.b)),
    circles: circles.map((c) => ({ ...c, rivals: c.rivals.map((r) => r.id), allies: c.allies.map((a) => a.id) })),
    team,
    coverage,
  };
}

const SUPPORT = `query MapSupport($id: ID!) { account(id: $id) { supportScore } }`;

export async function refreshSupportScore(api: Api, map: AccountMap): Promise<void> {
  const data = await api.request<{ account: { supportScore: number | null } | null }>(SUPPORT, { id: map.account.id });
  map.account.supportScore = data.account?.supportScore ?? null;
}
