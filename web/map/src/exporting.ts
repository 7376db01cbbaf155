// Export: the current view as PNG, and the account as an `accountGraphImport` document
// ({"input": AccountGraphInput}, the shape of service/demo/*.json and `powermap import`).
//
// Keys: each stakeholder and team member is keyed by their external id in the account's source
// (the one most of the people share), else by their global id. The API exposes no key for circles
// and interactions, so those are keyed by global id: re-importing into the same workspace matches
// people, links and coverage, but adds circles and visit-log entries anew.

import type { App } from "./app";
import { download } from "./dom";
import type { ExternalId } from "./model";

const FALLBACK_SOURCE = "powermap-export";

const INTERACTIONS = `
query MapInteractions($id: ID!) {
  account(id: $id) {
    interactions(first: 100) { id at type summary nextStep teamMember { id } stakeholders { id } }
  }
}`;

interface Interaction {
  id: string;
  at: string;
  type: string;
  summary: string | null;
  nextStep: string | null;
  teamMember: { id: string } | null;
  stakeholders: { id: string }[];
}

type Json = Record<string, unknown>;

function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}

function fileSafe(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, "-").replace(/^-+|-+$/g, "") || "account";
}

function chooseSource(app: App): string {
  const counts = new Map<string, number>();
  for (const person of app.map.people.values()) {
    for (const e of person.externalIds) counts.set(e.source, (counts.get(e.source) ?? 0) + 1);
  }
  const own = app.map.account.externalIds.map((e) => e.source);
  const candidates = own.length ? own : [...counts.keys()];
  return candidates.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b))[0] ?? FALLBACK_SOURCE;
}

export async function accountDocument(app: App): Promise<{ input: Json }> {
  const { map } = app;
  const source = chooseSource(app);
  const keyOf = (ids: ExternalId[], fallback: string) => ids.find((e) => e.source === source)?.id ?? fallback;
  const personKey = new Map([...map.people.values()].map((p) => [p.id, keyOf(p.externalIds, p.id)]));
  const teamKey = new Map(map.team.map((t) => [t.id, keyOf(t.externalIds, t.id)]));
  const circleIds = new Set(map.circles.map((c) => c.id));
  const data = await app.session.api.request<{ account: { interactions: Interaction[] } | null }>(INTERACTIONS, { id: map.account.id });
  const interactions = data.account?.interactions ?? [];

  const input: Json = {
    source,
    account: compact({
      externalId: keyOf(map.account.externalIds, map.account.id),
      name: map.account.name,
      industry: map.account.industry,
      tier: map.account.tier,
    }),
    stakeholders: [...map.people.values()].map((p) =>
      compact({
        externalId: personKey.get(p.id),
        name: p.name,
        title: p.title,
        department: p.department,
        email: p.email,
        phone: p.phone,
        level: p.level,
        reportsTo: p.reportsTo ? personKey.get(p.reportsTo) : null,
        stance: p.stance,
        influence: p.influence,
        buyingRoles: p.buyingRoles,
        buyerTypes: p.buyerTypes,
        adaptability: p.adaptability,
        personality: p.personality,
        contactTier: p.contactTier,
        notes: p.notes,
      }),
    ),
    circles: map.circles.map((c) =>
      compact({
        key: c.id,
        name: c.name,
        color: c.color,
        businessValue: c.businessValue,
        trackRecord: c.trackRecord,
        partisansAndAllies: c.partisansAndAllies,
        philosophyAndPolicy: c.philosophyAndPolicy,
        members: [...map.people.values()]
          .filter((p) => p.circles.has(c.id))
          .map((p) => ({ stakeholder: personKey.get(p.id), core: p.circles.get(c.id) ?? false })),
        rivals: c.rivals.filter((id) => circleIds.has(id)),
        allies: c.allies.filter((id) => circleIds.has(id)),
      }),
    ),
    influences: map.links.map((l) =>
      compact({ from: personKey.get(l.from), to: personKey.get(l.to), strength: l.strength, kind: l.kind, topic: l.topic, confidence: l.confidence }),
    ),
    ties: map.ties.map((t) => compact({ kind: t.kind, a: personKey.get(t.a), b: personKey.get(t.b), strength: t.strength, note: t.note })),
    team: map.team.map((t) => compact({ externalId: teamKey.get(t.id), name: t.name, role: t.role, email: t.email })),
    coverage: map.coverage
      .filter((c) => teamKey.has(c.teamMember))
      .map((c) =>
        compact({
          teamMember: teamKey.get(c.teamMember),
          stakeholder: personKey.get(c.stakeholder),
          relationshipStep: c.relationshipStep,
          relationshipType: c.relationshipType,
        }),
      ),
    interactions: interactions
      .filter((i) => i.stakeholders.every((s) => personKey.has(s.id)))
      .map((i) =>
        compact({
          externalId: i.id,
          at: i.at,
          type: i.type,
          stakeholders: i.stakeholders.map((s) => personKey.get(s.id)),
          teamMember: i.teamMember ? teamKey.get(i.teamMember.id) : null,
          summary: i.summary,
          nextStep: i.nextStep,
        }),
      ),
    mode: "MERGE",
  };
  return { input };
}

export async function exportJson(app: App): Promise<void> {
  const document_ = await accountDocument(app);
  const blob = new Blob([JSON.stringify(document_, null, 1) + "\n"], { type: "application/json" });
  download(`${fileSafe(app.map.account.name)}.json`, blob);
}

export function exportPng(app: App): void {
  const blob = app.cy.png({ output: "blob", bg: "#ffffff", full: false, scale: 2, maxWidth: 6000, maxHeight: 6000 });
  download(`${fileSafe(app.map.account.name)}-map.png`, blob);
}
