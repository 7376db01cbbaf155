// What-if: stances changed on the map only. `simulate` shows the support score and the counts before
// and after; nothing is written until a strategist presses Save (one stakeholderUpdate per person,
// with the version they were read at, so a concurrent change is reported as STALE, not overwritten).

import type { App } from "./app";
import { byId, clear, debounce, h } from "./dom";
import { restylePerson } from "./map";
import { STANCES, STANCE_LOOK, stanceStep, type Stance } from "./vocab";

interface Simulation {
  supportScoreBefore: number | null;
  supportScoreAfter: number | null;
  neutralsBefore: number;
  neutralsAfter: number;
  opponentsBefore: number;
  opponentsAfter: number;
}

const SIMULATE = `
query MapSimulate($id: ID!, $changes: [StanceChangeInput!]!) {
  account(id: $id) {
    simulate(changes: $changes) {
      supportScoreBefore supportScoreAfter neutralsBefore neutralsAfter opponentsBefore opponentsAfter
    }
  }
}`;

const SAVE = `
mutation MapWhatIfSave($input: StakeholderUpdateInput!) {
  stakeholderUpdate(input: $input) {
    stakeholder { id stance version updatedAt }
    userErrors { field message code }
  }
}`;

export class WhatIf {
  active = false;
  readonly changes = new Map<string, Stance>();
  private errors = new Map<string, string>();
  private simulation: Simulation | null = null;
  private simulationError = "";
  private serial = 0;
  private readonly simulateSoon = debounce(() => void this.simulate(), 120);

  constructor(private readonly app: () => App | null) {}

  toggle(): void {
    if (this.active) this.cancel();
    else this.start();
  }

  start(): void {
    this.active = true;
    this.syncChrome();
    this.render();
    this.app()?.showTab("whatif");
  }

  cancel(): void {
    const app = this.app();
    const changed = [...this.changes.keys()];
    this.changes.clear();
    this.errors.clear();
    this.simulation = null;
    this.active = false;
    if (app) for (const id of changed) this.redraw(app, id);
    this.syncChrome();
    this.render();
    app?.status("What-if cancelled: nothing was saved.");
  }

  stanceOf(personId: string): Stance | undefined {
    return this.changes.get(personId);
  }

  /** Map click in what-if mode: one step towards support, or back with Shift. */
  step(personId: string, direction: 1 | -1): void {
    const app = this.app();
    const person = app?.map.people.get(personId);
    if (!app || !person) return;
    this.set(personId, stanceStep(this.changes.get(personId) ?? person.stance, direction));
  }

  set(personId: string, stance: Stance): void {
    const app = this.app();
    const person = app?.map.people.get(personId);
    if (!app || !person) return;
    if (stance === person.stance) this.changes.delete(personId);
    else this.changes.set(personId, stance);
    this.errors.delete(personId);
    this.redraw(app, personId);
    this.render();
    this.simulateSoon();
    app.status(`What-if: ${person.name} ${STANCE_LOOK[stance].word}.`);
  }

  private redraw(app: App, personId: string): void {
    const person = app.map.people.get(personId);
    if (!person) return;
    const stance = this.changes.get(personId);
    restylePerson(app.cy, person, stance ?? person.stance, stance !== undefined);
  }

  private syncChrome(): void {
    const toggle = byId("whatif-toggle");
    toggle.setAttribute("aria-pressed", String(this.active));
    document.body.classList.toggle("whatif-mode", this.active);
  }

  async simulate(): Promise<void> {
    const app = this.app();
    if (!app) return;
    const serial = ++this.serial;
    const changes = [...this.changes].map(([stakeholder, stance]) => ({ stakeholder, stance }));
    delete document.body.dataset["simulated"];
    try {
      const data = await app.session.api.request<{ account: { simulate: Simulation } | null }>(SIMULATE, { id: app.map.account.id, changes });
      if (serial !== this.serial) return;
      this.simulation = data.account?.simulate ?? null;
      this.simulationError = "";
    } catch (error) {
      if (serial !== this.serial) return;
      this.simulationError = (error as Error).message;
    }
    this.render();
    // The changes this answer is for: more may have been made while it was on its way (their own
    // simulation is then due), and the marker must not vouch for those.
    document.body.dataset["simulated"] = String(changes.length);
  }

  async save(): Promise<void> {
    const app = this.app();
    if (!app || !app.session.canEdit) return;
    this.errors.clear();
    const saved: string[] = [];
    for (const [id, stance] of [...this.changes]) {
      const person = app.map.people.get(id);
      if (!person) continue;
      try {
        const result = await app.session.api.request<{
          stakeholderUpdate: { stakeholder: { id: string; stance: Stance; version: number; updatedAt: string } | null; userErrors: { field: string[] | null; message: string; code: string }[] };
        }>(SAVE, { input: { id, version: person.version, stance } });
        const payload = result.stakeholderUpdate;
        if (payload.userErrors.length || !payload.stakeholder) {
          this.errors.set(id, payload.userErrors.map((e) => e.message).join(" ") || "not saved");
          continue;
        }
        Object.assign(person, { stance: payload.stakeholder.stance, version: payload.stakeholder.version, updatedAt: payload.stakeholder.updatedAt });
        this.changes.delete(id);
        saved.push(id);
        await app.personSaved(person);
      } catch (error) {
        this.errors.set(id, (error as Error).message);
      }
    }
    if (!this.changes.size) {
      this.active = false;
      this.simulation = null;
      this.syncChrome();
    } else {
      void this.simulate();
    }
    this.render();
    app.status(`What-if: ${saved.length} saved${this.errors.size ? `, ${this.errors.size} refused` : ""}.`);
  }

  render(): void {
    const body = byId("whatif-body");
    const app = this.app();
    clear(body);
    if (!app) return;
    if (!this.active) {
      body.append(
        h("p", {}, "Try stance changes on the map and see what they would do to the support score and the counts. Nothing is written until you save."),
        h("button", { type: "button", id: "whatif-start", class: "primary", onclick: () => this.start() }, "Start a what-if"),
      );
      return;
    }
    body.append(
      h("p", { class: "muted" }, "Click a person on the map to move them one step towards support (Shift-click: one step back; keyboard: ] and [ on the selected person), or pick a stance below."),
      this.changeList(app),
      this.resultTable(),
      h("div", { class: "button-row" },
        app.session.canEdit && this.changes.size
          ? h("button", { type: "button", id: "whatif-save", class: "primary edit-control", "data-edit": "whatif", onclick: () => void this.save() }, `Save ${this.changes.size} change${this.changes.size === 1 ? "" : "s"}`)
          : null,
        h("button", { type: "button", id: "whatif-cancel", onclick: () => this.cancel() }, "Cancel what-if")),
    );
  }

  private changeList(app: App): HTMLElement {
    if (!this.changes.size) return h("p", { id: "whatif-changes", class: "muted" }, "No changes yet.");
    return h("ul", { id: "whatif-changes", class: "list plain" }, [...this.changes].map(([id, stance]) => {
      const person = app.map.people.get(id)!;
      const select = h("select", { "aria-label": `What-if stance of ${person.name}`, "data-person": id },
        STANCES.map((s) => h("option", { value: s, selected: s === stance }, `[${STANCE_LOOK[s].glyph}] ${STANCE_LOOK[s].word}`)));
      select.addEventListener("change", () => this.set(id, select.value as Stance));
      return h("li", { class: "whatif-change" },
        h("button", { type: "button", class: "person-link", onclick: () => app.select(id, { centre: true }) }, person.name),
        ` ${STANCE_LOOK[person.stance].word} → `, select,
        h("button", { type: "button", class: "small", "aria-label": `Undo the change of ${person.name}`, onclick: () => this.set(id, person.stance) }, "undo"),
        this.errors.has(id) ? h("p", { class: "field-error", role: "alert" }, this.errors.get(id)!) : null);
    }));
  }

  private resultTable(): HTMLElement {
    if (this.simulationError) return h("p", { class: "form-error", role: "alert" }, `Simulation failed: ${this.simulationError}`);
    const s = this.simulation;
    if (!s) return h("p", { class: "muted", id: "whatif-result" }, "Simulating…");
    const score = (v: number | null) => (v === null ? "unknown" : v.toFixed(2));
    const delta = (a: number | null, b: number | null) => (a === null || b === null ? "" : `${b - a >= 0 ? "+" : ""}${(b - a).toFixed(2)}`);
    const row = (label: string, before: string, after: string, change: string) =>
      h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, before), h("td", {}, after), h("td", {}, change));
    return h("table", { id: "whatif-result", class: "result-table" },
      h("caption", {}, "Before and after (simulated, nothing saved)"),
      h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { scope: "col" }, "before"), h("th", { scope: "col" }, "after"), h("th", { scope: "col" }, "change"))),
      h("tbody", {},
        row("Support score", score(s.supportScoreBefore), score(s.supportScoreAfter), delta(s.supportScoreBefore, s.supportScoreAfter)),
        row("Neutrals", String(s.neutralsBefore), String(s.neutralsAfter), delta(s.neutralsBefore, s.neutralsAfter).replace(".00", "")),
        row("Enemies and opponents", String(s.opponentsBefore), String(s.opponentsAfter), delta(s.opponentsBefore, s.opponentsAfter).replace(".00", ""))));
  }
}
