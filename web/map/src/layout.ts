// A layout that keeps circles together and stays put between visits.
//
// First visit: people start from positions derived from the data alone (each circle a cluster on a
// ring, members on a spiral, core and influential first), then fcose (compound-aware) runs with its
// random choices drawn from a generator seeded by the account id, so the same data gives the same
// map. The result is kept in localStorage per account; later visits restore it, and people added
// since are placed beside their neighbours. Our team is a column to the left, beside whom they cover.

import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";

cytoscape.use(fcose);

type Positions = Record<string, { x: number; y: number }>;
export type LayoutOutcome = "restored" | "computed";

const STORE_PREFIX = "powermap.layout.v1.";
/** Re-run the layout when more than this share of people have no saved place. */
const NEW_PEOPLE_SHARE = 0.1;

export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function seededRandom(seed: number): () => number {
  let state = seed || 1;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run `work` with Math.random replaced by a seeded generator (fcose draws from Math.random). */
function withSeededRandom<T>(seed: number, work: () => T): T {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return work();
  } finally {
    Math.random = original;
  }
}

function readSaved(accountId: string): Positions | null {
  try {
    const raw = localStorage.getItem(STORE_PREFIX + accountId);
    return raw ? (JSON.parse(raw) as Positions) : null;
  } catch {
    return null;
  }
}

export function savePositions(cy: cytoscape.Core, accountId: string): void {
  const positions: Positions = {};
  cy.nodes("node.person").forEach((node) => {
    const { x, y } = node.position();
    positions[node.id()] = { x: Math.round(x), y: Math.round(y) };
  });
  try {
    localStorage.setItem(STORE_PREFIX + accountId, JSON.stringify(positions));
  } catch {
    // Storage full or disabled: the map is still drawn, only not remembered.
  }
}

export function forgetPositions(accountId: string): void {
  localStorage.removeItem(STORE_PREFIX + accountId);
}

export function arrange(cy: cytoscape.Core, accountId: string, fresh = false): LayoutOutcome {
  const people = cy.nodes("node.person");
  const saved = fresh ? null : readSaved(accountId);
  if (saved) {
    const missing = people.filter((n) => !saved[n.id()]);
    if (missing.length <= Math.max(3, people.length * NEW_PEOPLE_SHARE)) {
      cy.batch(() => {
        people.forEach((n) => {
          const p = saved[n.id()];
          if (p) n.position(p);
        });
        const placed = new Set(people.filter((n) => Boolean(saved[n.id()])).map((n) => n.id()));
        missing.forEach((n) => {
          placeBesideNeighbours(n, placed);
          placed.add(n.id());
        });
        placeTeam(cy);
      });
      if (missing.nonempty()) savePositions(cy, accountId);
      return "restored";
    }
  }
  cy.batch(() => seedPositions(cy, accountId, saved));
  runForceLayout(cy, accountId);
  cy.batch(() => placeTeam(cy));
  savePositions(cy, accountId);
  return "computed";
}

function seedPositions(cy: cytoscape.Core, accountId: string, saved: Positions | null): void {
  const groups = new Map<string, cytoscape.NodeSingular[]>();
  cy.nodes("node.person").forEach((node) => {
    const key = node.data("parent") ?? "";
    groups.set(key, [...(groups.get(key) ?? []), node]);
  });
  const keys = [...groups.keys()].sort((a, b) => circleName(cy, a).localeCompare(circleName(cy, b)) || a.localeCompare(b));
  const total = cy.nodes("node.person").length;
  const ring = keys.length > 1 ? Math.max(400, Math.sqrt(total) * 80) : 0;
  const jitter = seededRandom(hashString(accountId));
  keys.forEach((key, g) => {
    const angle = (2 * Math.PI * g) / keys.length;
    const cx = ring * Math.cos(angle);
    const cy0 = ring * Math.sin(angle);
    const members = (groups.get(key) ?? []).sort(memberOrder);
    members.forEach((node, k) => {
      const known = saved?.[node.id()];
      if (known) return node.position(known);
      const r = 70 * Math.sqrt(k + 0.5);
      const theta = k * 2.399963 + jitter() * 0.2;
      node.position({ x: cx + r * Math.cos(theta), y: cy0 + r * Math.sin(theta) });
    });
  });
}

function circleName(cy: cytoscape.Core, id: string): string {
  return id ? String(cy.getElementById(id).data("name") ?? "") : "\uffff";
}

function memberOrder(a: cytoscape.NodeSingular, b: cytoscape.NodeSingular): number {
  return (
    Number(b.hasClass("core")) - Number(a.hasClass("core")) ||
    Number(b.data("size")) - Number(a.data("size")) ||
    String(a.data("name")).localeCompare(String(b.data("name"))) ||
    a.id().localeCompare(b.id())
  );
}

function runForceLayout(cy: cytoscape.Core, accountId: string): void {
  // The layout always sees the same graph, whatever layers are shown: people, circles, links, ties.
  const ties = cy.edges("edge.tie");
  const hiddenTies = ties.filter(".layer-hidden");
  hiddenTies.removeClass("layer-hidden");
  const graph = cy.elements("node.person, node.circle, edge.influence, edge.tie");
  const large = cy.nodes("node.person").length > 400;
  try {
    withSeededRandom(hashString(accountId), () =>
      graph
        .layout({
          name: "fcose",
          // Big maps: fcose's spectral start (its sampling seeded like the rest) and a short
          // force-directed refinement, which separates the people the spectral step piles up.
          // Smaller ones: the full refinement from the seeded positions.
          randomize: large,
          animate: false,
          fit: false,
          quality: "default",
          packComponents: false,
          nodeDimensionsIncludeLabels: !large,
          idealEdgeLength: () => (large ? 80 : 140),
          nodeRepulsion: () => (large ? 8000 : 16000),
          edgeElasticity: () => 0.45,
          nestingFactor: 0.1,
          gravity: 0.25,
          numIter: large ? 500 : 2500,
          tile: true,
        } as cytoscape.LayoutOptions)
        .run(),
    );
  } finally {
    hiddenTies.addClass("layer-hidden");
  }
}

function placeBesideNeighbours(node: cytoscape.NodeSingular, placedIds: Set<string>): void {
  const placed = node.neighborhood("node.person").nodes().filter((n) => placedIds.has(n.id()));
  const offset = (hashString(node.id()) % 360) * (Math.PI / 180);
  if (placed.nonempty()) {
    const points = placed.map((n) => (n as cytoscape.NodeSingular).position());
    const x = points.reduce((s, p) => s + p.x, 0) / points.length;
    const y = points.reduce((s, p) => s + p.y, 0) / points.length;
    node.position({ x: x + 60 * Math.cos(offset), y: y + 60 * Math.sin(offset) });
    return;
  }
  const box = node.cy().nodes("node.person").boundingBox({});
  node.position({ x: box.x1 + (hashString(node.id()) % 400), y: box.y2 + 80 });
}

/** Our team: a column left of the people, each member level with the people they cover. */
export function placeTeam(cy: cytoscape.Core): void {
  const team = cy.nodes("node.team");
  if (team.empty()) return;
  const people = cy.nodes("node.person");
  const box = people.nonempty() ? people.boundingBox({ includeLabels: false }) : { x1: 0, y1: 0, y2: 0 };
  const wanted = team.map((member) => {
    const covered = member.outgoers("node.person").nodes();
    const y = covered.nonempty()
      ? covered.reduce((s, n) => s + n.position().y, 0) / covered.length
      : Number.POSITIVE_INFINITY;
    return { member, y };
  });
  wanted.sort((a, b) => a.y - b.y || String(a.member.data("name")).localeCompare(String(b.member.data("name"))));
  let last = box.y1 - 90;
  for (const { member, y } of wanted) {
    const target = Number.isFinite(y) ? Math.max(y, last + 70) : last + 70;
    member.position({ x: box.x1 - 150, y: target });
    last = target;
  }
}
