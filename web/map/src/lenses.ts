// Lenses: one analytic of the API at a time, highlighted on the map and listed beside it with the
// reasons the API gives. Lists ask for `first: 100` wherever the server's field takes `first`.

import type cytoscape from "cytoscape";
import type { App } from "./app";
import { byId, clear, h } from "./dom";
import { humanise } from "./vocab";

export interface LensRow {
  title: string;
  facts: string[];
  reasons: string[];
  /** The person (or team member) the row is about: selected when the row is chosen. */
  focus: string | null;
  nodes: string[];
  paths: string[][];
  circles: string[];
}

interface LensDefinition {
  id: string;
  name: string;
  describe: string;
  /** Rows for the open account; `subject` is the selected person where the lens needs one. */
  rows(app: App, subject: string | null): Promise<LensRow[]>;
  needsPerson?: "required" | "optional";
}

type Named = { id: string; name: string };

/** The field's arguments, with `first: 100` (the server's cap) unless the lens asks for fewer. */
function args(given: string[]): string {
  const all = given.some((a) => a.startsWith("first:")) ? given : [...given, "first: 100"];
  return `(${all.join(", ")})`;
}

async function accountField<T>(app: App, field: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const data = await app.session.api.request<{ account: Record<string, T> | null }>(query, { id: app.map.account.id, ...variables });
  if (!data.account) throw new Error("the account is gone");
  return data.account[field] as T;
}

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? "—" : value.toFixed(digits));
const ids = (path: { id: string }[]) => path.map((n) => n.id);

interface ConversionRow {
  leverage: number;
  converterStrength: number;
  converterHops: number;
  reason: string;
  stakeholder: Named;
  converter: (Named & { __typename: string }) | null;
  path: { id: string }[];
}

const CONVERSION_FIELDS = `leverage converterStrength converterHops reason stakeholder { id name }
  converter { __typename ... on Stakeholder { id name } ... on TeamMember { id name } } path { id }`;

function conversionRows(rows: ConversionRow[], lever: string): LensRow[] {
  return rows.map((r) => ({
    title: r.stakeholder.name,
    facts: [
      `leverage ${fixed(r.leverage)}`,
      r.converter
        ? `${lever}: ${r.converter.name}${r.converter.__typename === "TeamMember" ? " (our team)" : ""}, strength ${fixed(r.converterStrength)}, ${r.converterHops} hop${r.converterHops === 1 ? "" : "s"}`
        : `no ${lever} found`,
    ],
    reasons: [r.reason],
    focus: r.stakeholder.id,
    nodes: [r.stakeholder.id, ...(r.converter ? [r.converter.id] : [])],
    paths: r.path.length > 1 ? [ids(r.path)] : [],
    circles: [],
  }));
}

export const LENSES: LensDefinition[] = [
  {
    id: "influencers",
    name: "Influencers",
    describe: "Who influences the decision makers (or the selected person), by strongest path.",
    needsPerson: "optional",
    async rows(app, subject) {
      const query = `query MapInfluencers($id: ID!, $of: ID) { account(id: $id) {
        influencers${args(["of: $of", "maxHops: 3"])} {
          strength hops reason influencer { id name } target { id name } path { id } } } }`;
      const rows = await accountField<{ strength: number; hops: number; reason: string; influencer: Named; target: Named; path: { id: string }[] }[]>(
        app, "influencers", query, { of: subject });
      return rows.map((r) => ({
        title: `${r.influencer.name} → ${r.target.name}`,
        facts: [`strength ${fixed(r.strength, 3)}`, `${r.hops} hop${r.hops === 1 ? "" : "s"}`],
        reasons: [r.reason],
        focus: r.influencer.id,
        nodes: [r.influencer.id, r.target.id],
        paths: [ids(r.path)],
        circles: [],
      }));
    },
  },
  {
    id: "neutrals",
    name: "Neutrals to convert",
    describe: "Neutrals with leverage on the decision, each with the best converter and the converter's path.",
    async rows(app) {
      const query = `query MapNeutrals($id: ID!) { account(id: $id) {
        neutralsToConvert${args(["maxHops: 3"])} { ${CONVERSION_FIELDS} } } }`;
      return conversionRows(await accountField<ConversionRow[]>(app, "neutralsToConvert", query), "converter");
    },
  },
  {
    id: "opponents",
    name: "Opponents to neutralise",
    describe: "Enemies and opponents with leverage, each with the lever that can move them to neutral.",
    async rows(app) {
      const query = `query MapOpponents($id: ID!) { account(id: $id) {
        opponentsToNeutralize${args(["maxHops: 3"])} { ${CONVERSION_FIELDS} } } }`;
      return conversionRows(await accountField<ConversionRow[]>(app, "opponentsToNeutralize", query), "lever");
    },
  },
  {
    id: "gaps",
    name: "Coverage gaps",
    describe: "Coverage gaps, most severe first, each with a suggested action.",
    async rows(app) {
      const query = `query MapGaps($id: ID!) { account(id: $id) {
        coverageGaps${args([])} {
          kind role buyerType severity reason suggestion stakeholder { id name } circle { id name } } } }`;
      const rows = await accountField<{ kind: string; role: string | null; buyerType: string | null; severity: number; reason: string; suggestion: string | null; stakeholder: Named | null; circle: Named | null }[]>(
        app, "coverageGaps", query);
      return rows.map((r) => ({
        title: `${humanise(r.kind)}: ${r.stakeholder?.name ?? r.circle?.name ?? humanise(r.role ?? r.buyerType)}`,
        facts: [`severity ${fixed(r.severity)}`],
        reasons: [r.reason, ...(r.suggestion ? [`Suggestion: ${r.suggestion}`] : [])],
        focus: r.stakeholder?.id ?? null,
        nodes: r.stakeholder ? [r.stakeholder.id] : [],
        paths: [],
        circles: r.circle ? [r.circle.id] : [],
      }));
    },
  },
  {
    id: "coaches",
    name: "Coach candidates",
    describe: "Inside-contact candidates: broad network, influence, willingness; qualified first.",
    async rows(app) {
      const query = `query MapCoaches($id: ID!) { account(id: $id) {
        coachCandidates${args([])} {
          qualified breadth circlesReached leverage covered reasons stakeholder { id name } introducedVia { id } } } }`;
      const rows = await accountField<{ qualified: boolean; breadth: number; circlesReached: number; leverage: number; covered: boolean; reasons: string[]; stakeholder: Named; introducedVia: { id: string }[] }[]>(
        app, "coachCandidates", query);
      return rows.map((r) => ({
        title: `${r.stakeholder.name}${r.qualified ? " ✓ qualified" : " (candidate)"}`,
        facts: [`breadth ${r.breadth}`, `circles reached ${r.circlesReached}`, `leverage ${fixed(r.leverage)}`, r.covered ? "covered by us" : "not covered"],
        reasons: r.reasons,
        focus: r.stakeholder.id,
        nodes: [r.stakeholder.id],
        paths: r.introducedVia.length > 1 ? [ids(r.introducedVia)] : [],
        circles: [],
      }));
    },
  },
  {
    id: "power",
    name: "Power map",
    describe: "The balance of each political circle, decision circles first.",
    async rows(app) {
      const query = `query MapPower($id: ID!) { account(id: $id) { powerMap {
        circles { members coreMembers influenceTotal stanceBalance coveredCoreMembers decisionCircle reason circle { id name } }
        unaffiliated { id name } } } }`;
      const power = await accountField<{ circles: { members: number; coreMembers: number; influenceTotal: number; stanceBalance: number | null; coveredCoreMembers: number; decisionCircle: boolean; reason: string; circle: Named }[]; unaffiliated: Named[] }>(
        app, "powerMap", query);
      const rows: LensRow[] = power.circles.map((c) => ({
        title: `${c.circle.name}${c.decisionCircle ? " · decision circle" : ""}`,
        facts: [`${c.members} members`, `${c.coreMembers} core`, `influence ${c.influenceTotal}`, `stance balance ${fixed(c.stanceBalance)}`, `${c.coveredCoreMembers} core covered`],
        reasons: [c.reason],
        focus: null,
        nodes: [],
        paths: [],
        circles: [c.circle.id],
      }));
      if (power.unaffiliated.length) {
        rows.push({
          title: "In no circle",
          facts: [`${power.unaffiliated.length} people`],
          reasons: [power.unaffiliated.map((p) => p.name).join(", ")],
          focus: null,
          nodes: power.unaffiliated.map((p) => p.id),
          paths: [],
          circles: [],
        });
      }
      return rows;
    },
  },
  {
    id: "access",
    name: "Access paths",
    describe: "Warm introduction paths from our team to the selected person, through supporters only.",
    needsPerson: "required",
    async rows(app, subject) {
      if (!subject) return [];
      const query = `query MapAccess($id: ID!, $to: ID!) { account(id: $id) {
        accessPaths${args(["to: $to", "maxHops: 4", "first: 10"])} {
          strength hops reason teamMember { id name } target { id name } path { id } } } }`;
      const rows = await accountField<{ strength: number; hops: number; reason: string; teamMember: Named; target: Named; path: { id: string }[] }[]>(
        app, "accessPaths", query, { to: subject });
      return rows.map((r) => ({
        title: `${r.teamMember.name} → ${r.target.name}`,
        facts: [`strength ${fixed(r.strength, 3)}`, `${r.hops} hop${r.hops === 1 ? "" : "s"}`],
        reasons: [r.reason],
        focus: r.target.id,
        nodes: [r.teamMember.id, r.target.id],
        paths: [ids(r.path)],
        circles: [],
      }));
    },
  },
];

export class LensPanel {
  active: LensDefinition | null = null;
  private rows: LensRow[] = [];
  private serial = 0;
  private useSelected = false;

  constructor(private readonly app: () => App | null, private readonly selected: () => string | null) {}

  /** Whether the active lens is about the selected person (so a new selection re-runs it). */
  get followsSelection(): boolean {
    return this.active?.needsPerson === "required" || (this.active?.needsPerson === "optional" && this.useSelected);
  }

  renderButtons(): void {
    const box = byId("lens-buttons");
    clear(box);
    const none = h("button", { type: "button", class: "lens-button", "data-lens": "none", "aria-pressed": String(!this.active) }, "None");
    none.addEventListener("click", () => this.choose(null));
    box.append(none);
    for (const lens of LENSES) {
      const button = h("button", { type: "button", class: "lens-button", "data-lens": lens.id, "aria-pressed": String(this.active?.id === lens.id), title: lens.describe }, lens.name);
      button.addEventListener("click", () => void this.choose(lens.id));
      box.append(button);
    }
  }

  async choose(id: string | null): Promise<void> {
    this.active = LENSES.find((l) => l.id === id) ?? null;
    for (const button of byId("lens-buttons").querySelectorAll<HTMLElement>("[data-lens]")) {
      button.setAttribute("aria-pressed", String(button.dataset["lens"] === (id ?? "none")));
    }
    await this.refresh();
  }

  /** Re-run the active lens (after an edit, or when the selected person changes). */
  async refresh(): Promise<void> {
    const app = this.app();
    const status = byId("lens-status");
    const list = byId("lens-list");
    const options = byId("lens-options");
    const serial = ++this.serial;
    if (!app) return;
    clearHighlight(app.cy);
    clear(list);
    clear(options);
    const lens = this.active;
    document.body.dataset["lens"] = lens?.id ?? "none";
    if (!lens) {
      status.textContent = "Choose a lens to highlight it on the map.";
      this.rows = [];
      delete document.body.dataset["lensReady"];
      return;
    }
    const subject = this.subjectFor(lens);
    options.append(this.optionsFor(app, lens, subject));
    if (lens.needsPerson === "required" && !subject) {
      status.textContent = "Select a person on the map or in the People list first.";
      this.rows = [];
      document.body.dataset["lensReady"] = lens.id;
      return;
    }
    status.textContent = `${lens.name}: loading…`;
    delete document.body.dataset["lensReady"];
    try {
      const rows = await lens.rows(app, subject);
      if (serial !== this.serial) return;
      this.rows = rows;
      status.textContent = `${lens.name}: ${rows.length} row${rows.length === 1 ? "" : "s"}. ${lens.describe}`;
      rows.forEach((row, index) => list.append(this.rowItem(row, index)));
      highlight(app.cy, rows, null);
    } catch (error) {
      if (serial !== this.serial) return;
      status.textContent = `${lens.name} failed: ${(error as Error).message}`;
    }
    document.body.dataset["lensReady"] = lens.id;
  }

  private subjectFor(lens: LensDefinition): string | null {
    if (lens.needsPerson === "required") return this.selected();
    if (lens.needsPerson === "optional" && this.useSelected) return this.selected();
    return null;
  }

  private optionsFor(app: App, lens: LensDefinition, subject: string | null): Node {
    const name = subject ? app.map.people.get(subject)?.name ?? "the selected person" : null;
    if (lens.needsPerson === "optional") {
      const select = h("select", { id: "lens-of", "aria-label": "Influencers of" },
        h("option", { value: "dm", selected: !this.useSelected }, "the decision makers"),
        h("option", { value: "selected", selected: this.useSelected, disabled: !this.selected() },
          this.selected() ? app.map.people.get(this.selected()!)?.name ?? "the selected person" : "the selected person (select one)"));
      select.addEventListener("change", () => {
        this.useSelected = select.value === "selected";
        void this.refresh();
      });
      return h("label", { class: "inline" }, "Influencers of ", select);
    }
    if (lens.needsPerson === "required") return h("p", {}, "To: ", h("strong", {}, name ?? "nobody selected"));
    return document.createTextNode("");
  }

  private rowItem(row: LensRow, index: number): HTMLElement {
    const button = h("button", { type: "button", class: "lens-row", "data-row": index },
      h("span", { class: "row-title" }, row.title),
      h("span", { class: "row-facts" }, row.facts.join(" · ")),
      ...row.reasons.map((reason) => h("span", { class: "row-reason" }, reason)));
    button.addEventListener("click", () => this.focusRow(index));
    return h("li", {}, button);
  }

  focusRow(index: number): void {
    const app = this.app();
    const row = this.rows[index];
    if (!app || !row) return;
    for (const item of byId("lens-list").querySelectorAll(".lens-row")) item.classList.toggle("current", item.getAttribute("data-row") === String(index));
    highlight(app.cy, this.rows, row);
    if (row.focus && app.map.people.has(row.focus)) app.select(row.focus, { centre: true });
    else {
      const targets = app.cy.collection();
      for (const id of [...row.nodes, ...row.circles]) targets.merge(app.cy.getElementById(id));
      if (targets.nonempty()) app.cy.animate({ fit: { eles: targets, padding: 80 } }, { duration: 250 });
    }
  }
}

export function clearHighlight(cy: cytoscape.Core): void {
  // Only what is lit: restyling every element of a big map costs a visible pause.
  cy.elements(".hl, .hl-strong, .faded").removeClass("hl hl-strong faded");
}

function pathEdges(cy: cytoscape.Core, path: string[]): cytoscape.EdgeCollection {
  let edges = cy.collection() as cytoscape.EdgeCollection;
  for (let i = 0; i + 1 < path.length; i++) {
    const a = cy.getElementById(path[i]!);
    const b = cy.getElementById(path[i + 1]!);
    const directed = a.edgesTo(b).filter(".influence, .coverage");
    edges = edges.union(directed.nonempty() ? directed : a.edgesWith(b)) as cytoscape.EdgeCollection;
  }
  return edges;
}

function highlight(cy: cytoscape.Core, rows: LensRow[], strong: LensRow | null): void {
  cy.batch(() => {
    clearHighlight(cy);
    if (!rows.length) return;
    const lit = cy.collection();
    for (const row of rows) {
      for (const id of [...row.nodes, ...row.paths.flat(), ...row.circles]) lit.merge(cy.getElementById(id));
      for (const path of row.paths) lit.merge(pathEdges(cy, path));
    }
    cy.elements().not("node.circle").addClass("faded");
    lit.removeClass("faded").addClass("hl");
    if (strong) {
      for (const path of strong.paths) pathEdges(cy, path).addClass("hl-strong");
    }
  });
}
