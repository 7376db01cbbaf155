// The drawing: cytoscape elements built from the account, their style, and the layers.

import cytoscape from "cytoscape";
import type { AccountMap, Person } from "./model";
import { ROLE_CODE, STANCE_LOOK, STANCES, type Stance } from "./vocab";

export const LARGE_GRAPH = 400;

export function personLabel(person: Person, stance: Stance = person.stance): string {
  const core = [...person.circles.values()].some(Boolean);
  const roles = person.buyingRoles.map((r) => ROLE_CODE[r]).join(" · ");
  const lines = [`${core ? "★ " : ""}${person.name} [${STANCE_LOOK[stance].glyph}]`];
  if (person.title) lines.push(person.title);
  if (roles) lines.push(roles);
  return lines.join("\n");
}

export function personClasses(person: Person, stance: Stance = person.stance): string[] {
  const classes = ["person", `stance-${stance}`];
  if (person.buyingRoles.includes("DECISION_MAKER")) classes.push("dm");
  if ([...person.circles.values()].some(Boolean)) classes.push("core");
  return classes;
}

function nodeSize(person: Person): number {
  return 26 + 8 * (person.influence ?? 1);
}

/** A person sits in one compound node: the circle they are core of, else their first circle by name. */
export function primaryCircle(person: Person, circleOrder: Map<string, number>): string | undefined {
  const memberships = [...person.circles.entries()].filter(([id]) => circleOrder.has(id));
  memberships.sort(([a, coreA], [b, coreB]) => Number(coreB) - Number(coreA) || circleOrder.get(a)! - circleOrder.get(b)!);
  return memberships[0]?.[0];
}

function validColour(value: string | null): string {
  return value && CSS.supports("color", value) ? value : "#94a3b8";
}

export function buildElements(map: AccountMap): cytoscape.ElementDefinition[] {
  const circles = [...map.circles].sort((a, b) => a.name.localeCompare(b.name));
  const circleOrder = new Map(circles.map((c, i) => [c.id, i]));
  const elements: cytoscape.ElementDefinition[] = [];
  for (const circle of circles) {
    elements.push({
      group: "nodes",
      data: { id: circle.id, label: circle.name, name: circle.name, colour: validColour(circle.color) },
      classes: "circle",
      // A circle is a frame, not a choice: clicks inside it reach the people or the background.
      selectable: false,
    });
  }
  for (const person of map.people.values()) {
    const parent = primaryCircle(person, circleOrder);
    elements.push({
      group: "nodes",
      data: {
        id: person.id,
        name: person.name,
        label: personLabel(person),
        stance: person.stance,
        size: nodeSize(person),
        ...(parent ? { parent } : {}),
      },
      classes: personClasses(person).join(" "),
    });
  }
  const teamIds = new Set(map.team.map((t) => t.id));
  for (const member of map.team) {
    elements.push({
      group: "nodes",
      data: { id: member.id, name: member.name, label: `${member.name}\n${member.role.toLowerCase().replace(/_/g, " ")}` },
      classes: "team",
    });
  }
  for (const link of map.links) {
    elements.push({
      group: "edges",
      data: { id: link.id, source: link.from, target: link.to, strength: link.strength, width: 0.6 + link.strength * 1.1 },
      classes: "influence",
    });
  }
  for (const tie of map.ties) {
    elements.push({
      group: "edges",
      data: { id: tie.id, source: tie.a, target: tie.b, kind: tie.kind, width: 0.8 + (tie.strength ?? 3) * 0.5 },
      classes: `tie tie-${tie.kind}`,
    });
  }
  for (const person of map.people.values()) {
    if (person.reportsTo && map.people.has(person.reportsTo)) {
      elements.push({
        group: "edges",
        data: { id: `reports:${person.id}`, source: person.id, target: person.reportsTo },
        classes: "reports layer-hidden",
      });
    }
  }
  for (const cover of map.coverage) {
    if (!teamIds.has(cover.teamMember)) continue;
    const step = cover.relationshipStep;
    elements.push({
      group: "edges",
      data: {
        id: `covers:${cover.teamMember}:${cover.stakeholder}`,
        source: cover.teamMember,
        target: cover.stakeholder,
        label: step ? `step ${step}` : "covers",
        width: 1 + (step ?? 3) * 0.6,
      },
      classes: "coverage",
    });
  }
  return elements;
}

function stanceRules(): cytoscape.StylesheetJsonBlock[] {
  return STANCES.map((stance) => ({
    selector: `node.person.stance-${stance}`,
    style: { "background-color": STANCE_LOOK[stance].colour, shape: STANCE_LOOK[stance].shape },
  })) as cytoscape.StylesheetJsonBlock[];
}

const HIGHLIGHT = "#6d28d9";

export function stylesheet(): cytoscape.StylesheetJsonBlock[] {
  const sheet: { selector: string; style: Record<string, unknown> }[] = [
    {
      selector: "node.person",
      style: {
        width: "data(size)",
        height: "data(size)",
        label: "data(label)",
        "text-wrap": "wrap",
        "text-max-width": "150px",
        "text-valign": "bottom",
        "text-halign": "center",
        "text-margin-y": 4,
        "font-size": 13,
        "line-height": 1.25,
        color: "#0f172a",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.8,
        "text-background-padding": "1px",
        "min-zoomed-font-size": 7,
        "border-width": 1.5,
        "border-color": "#334155",
      },
    },
    { selector: "node.person.core", style: { "border-color": "#a16207", "border-width": 3 } },
    { selector: "node.person.dm", style: { "border-style": "double", "border-width": 6, "border-color": "#0f172a" } },
    {
      selector: "node.circle",
      style: {
        shape: "round-rectangle",
        label: "data(label)",
        "text-valign": "top",
        "text-halign": "center",
        "font-size": 17,
        "font-weight": "bold",
        color: "#1e293b",
        "background-color": "data(colour)",
        "background-opacity": 0.07,
        "border-color": "data(colour)",
        "border-width": 2,
        padding: "28px",
        "min-zoomed-font-size": 6,
      },
    },
    {
      selector: "node.team",
      style: {
        shape: "tag",
        width: 34,
        height: 26,
        label: "data(label)",
        "text-wrap": "wrap",
        "text-valign": "bottom",
        "font-size": 12,
        color: "#1e3a8a",
        "background-color": "#bfdbfe",
        "border-color": "#1d4ed8",
        "border-width": 2,
        "min-zoomed-font-size": 7,
      },
    },
    {
      selector: "edge.influence",
      style: {
        width: "data(width)",
        "curve-style": "bezier",
        "line-color": "#475569",
        "target-arrow-color": "#475569",
        "target-arrow-shape": "triangle",
        "arrow-scale": 0.9,
        opacity: 0.75,
      },
    },
    {
      selector: "edge.tie",
      style: { width: "data(width)", "curve-style": "bezier", "line-style": "dashed", opacity: 0.85 },
    },
    { selector: "edge.tie-ALLY", style: { "line-color": "#0f766e", "line-dash-pattern": [8, 4] } },
    { selector: "edge.tie-KNOWS", style: { "line-color": "#94a3b8", "line-style": "dotted" } },
    {
      selector: "edge.tie-RIVAL",
      style: {
        "line-color": "#dc2626",
        "line-dash-pattern": [3, 3],
        "source-arrow-shape": "tee",
        "target-arrow-shape": "tee",
        "source-arrow-color": "#dc2626",
        "target-arrow-color": "#dc2626",
      },
    },
    {
      selector: "edge.reports",
      style: {
        width: 1.2,
        "curve-style": "straight",
        "line-color": "#a8a29e",
        "target-arrow-shape": "chevron",
        "target-arrow-color": "#a8a29e",
      },
    },
    {
      selector: "edge.coverage",
      style: {
        width: "data(width)",
        "curve-style": "bezier",
        "line-color": "#2563eb",
        "target-arrow-shape": "circle",
        "target-arrow-color": "#2563eb",
        label: "data(label)",
        "font-size": 9,
        color: "#1e3a8a",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.8,
        "min-zoomed-font-size": 8,
      },
    },
    { selector: ".layer-hidden", style: { display: "none" } },
    { selector: ".faded", style: { opacity: 0.12 } },
    {
      selector: "node.person.hl, node.team.hl",
      style: { "underlay-color": HIGHLIGHT, "underlay-opacity": 0.35, "underlay-padding": 6, "underlay-shape": "ellipse" },
    },
    { selector: "node.circle.hl", style: { "border-color": HIGHLIGHT, "border-width": 4 } },
    {
      selector: "edge.hl",
      style: { "line-color": HIGHLIGHT, "target-arrow-color": HIGHLIGHT, opacity: 1, "z-index": 10 },
    },
    { selector: "edge.hl-strong", style: { width: 7 } },
    {
      // A thick solid purple border: it reads at any zoom, beside the dashed and dotted edges.
      selector: "node.person.whatif",
      style: { "border-color": HIGHLIGHT, "border-width": 6, "border-style": "solid" },
    },
    { selector: "node:selected", style: { "overlay-color": HIGHLIGHT, "overlay-opacity": 0.25, "overlay-padding": 8 } },
    { selector: "edge:selected", style: { "overlay-color": HIGHLIGHT, "overlay-opacity": 0.2 } },
  ];
  // Stance colours and shapes come right after the base person rule, before the role and state rules.
  const blocks = sheet as unknown as cytoscape.StylesheetJsonBlock[];
  return [...blocks.slice(0, 1), ...stanceRules(), ...blocks.slice(1)];
}

export function createCy(container: HTMLElement, map: AccountMap): cytoscape.Core {
  const elements = buildElements(map);
  const large = map.people.size > LARGE_GRAPH;
  return cytoscape({
    container,
    elements,
    style: stylesheet(),
    layout: { name: "preset" },
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: "single",
    // Big maps: draw a cached texture while panning and zooming, edges hidden meanwhile.
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    motionBlur: false,
    pixelRatio: large ? 1 : "auto",
  });
}

export type Layer = "ties" | "team" | "reports";

const LAYER_SELECTOR: Record<Layer, string> = {
  ties: "edge.tie",
  team: "node.team, edge.coverage",
  reports: "edge.reports",
};

export function setLayer(cy: cytoscape.Core, layer: Layer, visible: boolean): void {
  const elements = cy.elements(LAYER_SELECTOR[layer]);
  if (visible) elements.filter(".layer-hidden").removeClass("layer-hidden");
  else elements.not(".layer-hidden").addClass("layer-hidden");
}

export function layerVisible(cy: cytoscape.Core, layer: Layer): boolean {
  const elements = cy.elements(LAYER_SELECTOR[layer]);
  return elements.nonempty() && !elements.first().hasClass("layer-hidden");
}

export function restylePerson(cy: cytoscape.Core, person: Person, stance: Stance = person.stance, whatIf = false): void {
  const node = cy.getElementById(person.id);
  if (node.empty()) return;
  node.data({ label: personLabel(person, stance), stance, size: nodeSize(person) });
  node.classes([...personClasses(person, stance), ...(whatIf ? ["whatif"] : []), ...keptClasses(node)]);
}

function keptClasses(node: cytoscape.NodeSingular): string[] {
  return ["hl", "faded"].filter((c) => node.hasClass(c));
}
