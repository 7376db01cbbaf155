// The influence map page: sign in, pick an account, see and work its map. Talks only to /graphql.

import "./styles.css";
import type cytoscape from "cytoscape";
import { AuthError, forgetToken, storeToken, storedToken } from "./api";
import type { App, TabName } from "./app";
import { announce, byId, clear, debounce, h } from "./dom";
import { exportJson, exportPng } from "./exporting";
import { arrowKeysMoveWithin, neighbourInDirection, tablistKeys } from "./keyboard";
import { arrange, forgetPositions, savePositions } from "./layout";
import { LensPanel, LENSES } from "./lenses";
import { createCy, restylePerson, setLayer, type Layer } from "./map";
import { AccountNotFound, loadAccount, refreshSupportScore, type AccountMap, type Person } from "./model";
import { clearCard, shownPersonId, showCard } from "./panel";
import { openSession, roleLabel, type Session } from "./session";
import { ROLE_CODE, STANCES, STANCE_LOOK, type Stance } from "./vocab";
import { WhatIf } from "./whatif";

type View = "signin" | "picker" | "map";

interface Timings {
  openMs: number | null;
  loadMs: number | null;
  layoutMs: number | null;
  /** From the layout done to the page interactive: styling, panels, the first frames drawn. */
  drawMs: number | null;
  layout: string | null;
}

let session: Session | null = null;
let app: App | null = null;
let selectedId: string | null = null;
const timings: Timings = { openMs: null, loadMs: null, layoutMs: null, drawMs: null, layout: null };

const whatIf = new WhatIf(() => app);
const lenses = new LensPanel(() => app, () => selectedId);

declare global {
  interface Window {
    powermap: { cy: cytoscape.Core | null; app: App | null; timings: Timings; lenses: typeof LENSES; whatIf: WhatIf };
  }
}
window.powermap = { cy: null, app: null, timings, lenses: LENSES, whatIf };

function setState(state: string): void {
  document.body.dataset["state"] = state;
}

function showView(view: View): void {
  for (const name of ["signin", "picker", "map"] as View[]) byId(`${name}-view`).hidden = name !== view;
  byId("session-bar").hidden = view === "signin";
}

// ---------------------------------------------------------------- sign-in

async function signIn(token: string): Promise<boolean> {
  const error = byId("signin-error");
  error.textContent = "";
  try {
    session = await openSession(token);
  } catch (failure) {
    session = null;
    forgetToken();
    error.textContent =
      failure instanceof AuthError
        ? `Sign-in refused: ${failure.message}.`
        : `Could not reach the API: ${(failure as Error).message}`;
    return false;
  }
  const badge = byId("role-badge");
  badge.textContent = roleLabel(session);
  document.body.dataset["role"] = session.role ?? "unknown";
  document.body.dataset["canEdit"] = String(session.canEdit);
  return true;
}

function signOut(message = ""): void {
  forgetToken();
  session = null;
  closeAccount();
  history.replaceState(null, "", window.location.pathname);
  showView("signin");
  setState("signed-out");
  byId("signin-error").textContent = message;
  byId<HTMLInputElement>("token-input").value = "";
  byId("token-input").focus();
}

/** Every API failure that means "not signed in" ends the session. */
function handleFailure(failure: unknown, context: string): void {
  if (failure instanceof AuthError) {
    signOut(`Signed out: ${failure.message}.`);
    return;
  }
  const message = `${context}: ${(failure as Error).message}`;
  app?.status(message);
  byId("picker-status").textContent = message;
}

// ---------------------------------------------------------------- account picker

const ACCOUNTS = `
query MapAccounts($search: String) {
  accounts(first: 20, search: $search) { totalCount nodes { id name industry tier } }
}`;

async function searchAccounts(text: string): Promise<void> {
  if (!session) return;
  const status = byId("picker-status");
  const list = byId("account-list");
  try {
    const data = await session.api.request<{ accounts: { totalCount: number; nodes: { id: string; name: string; industry: string | null; tier: string | null }[] } }>(
      ACCOUNTS, { search: text.trim() || null });
    clear(list);
    for (const account of data.accounts.nodes) {
      const button = h("button", { type: "button", class: "account-item", "data-account": account.id },
        h("strong", {}, account.name),
        h("span", { class: "muted" }, [account.industry, account.tier ? `tier ${account.tier}` : null].filter(Boolean).join(" · ")));
      button.addEventListener("click", () => void openAccount(account.id));
      list.append(h("li", {}, button));
    }
    const shown = data.accounts.nodes.length;
    status.textContent = shown === 0 ? "No account matches." : shown < data.accounts.totalCount
      ? `${shown} of ${data.accounts.totalCount} accounts; type to narrow.` : `${shown} account${shown === 1 ? "" : "s"}.`;
  } catch (failure) {
    handleFailure(failure, "Could not search accounts");
  }
}

function showPicker(): void {
  closeAccount();
  history.replaceState(null, "", window.location.pathname);
  showView("picker");
  setState("picking");
  byId("account-title").textContent = "";
  const search = byId<HTMLInputElement>("account-search");
  search.focus();
  void searchAccounts(search.value);
}

// ---------------------------------------------------------------- the open account

function closeAccount(): void {
  if (whatIf.active) whatIf.cancel();
  app?.cy.destroy();
  app = null;
  window.powermap.cy = null;
  window.powermap.app = null;
  selectedId = null;
  clearCard();
}

async function openAccount(accountId: string): Promise<void> {
  if (!session) return;
  const current = session;
  closeAccount();
  showView("map");
  setState("loading");
  performance.clearMarks();
  performance.mark("powermap:open");
  const started = performance.now();
  const status = byId("map-status");
  status.textContent = "Loading the account…";
  history.replaceState(null, "", `#account=${encodeURIComponent(accountId)}`);
  let map: AccountMap;
  try {
    map = await loadAccount(current.api, accountId, (loaded, total) => (status.textContent = `Loading people: ${loaded} of ${total}…`));
  } catch (failure) {
    if (failure instanceof AccountNotFound) {
      showPicker();
      byId("picker-status").textContent = `Could not open that account: ${failure.message}.`;
      return;
    }
    handleFailure(failure, "Could not load the account");
    status.textContent = `Could not load the account: ${(failure as Error).message}`;
    return;
  }
  timings.loadMs = Math.round(performance.now() - started);
  status.textContent = `Laying out ${map.people.size} people…`;
  await nextFrame();
  const container = byId("cy");
  const cy = createCy(container, map);
  const layoutStarted = performance.now();
  timings.layout = arrange(cy, map.account.id);
  const layoutDone = performance.now();
  timings.layoutMs = Math.round(layoutDone - layoutStarted);
  app = makeApp(current, map, cy);
  window.powermap.cy = cy;
  window.powermap.app = app;
  applyLayers(cy);
  cy.fit(undefined, 40);
  wireMap(cy);
  byId("account-title").textContent = map.account.name;
  renderSupportScore();
  renderPeople();
  renderLegend();
  lenses.renderButtons();
  await lenses.refresh();
  whatIf.render();
  status.textContent = `${map.people.size} people, ${map.links.length} influence links, ${map.ties.length} ties, ${map.circles.length} circles, ${map.team.length} of our team.`;
  await nextFrame();
  await nextFrame();
  performance.mark("powermap:interactive");
  performance.measure("powermap:open-to-interactive", "powermap:open", "powermap:interactive");
  timings.openMs = Math.round(performance.now() - started);
  timings.drawMs = Math.round(performance.now() - layoutDone);
  setState("ready");
  announce(`${map.account.name} is open: ${map.people.size} people.`);
}

function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

function makeApp(current: Session, map: AccountMap, cy: cytoscape.Core): App {
  return {
    session: current,
    map,
    cy,
    select,
    showTab,
    shownStance: (id: string): Stance => whatIf.stanceOf(id) ?? map.people.get(id)?.stance ?? "UNKNOWN",
    status: (message: string) => {
      byId("map-status").textContent = message;
      announce(message);
    },
    personSaved: async (person: Person) => {
      restylePerson(cy, person, whatIf.stanceOf(person.id) ?? person.stance, whatIf.stanceOf(person.id) !== undefined);
      renderPeople();
      try {
        await refreshSupportScore(current.api, map);
      } catch (failure) {
        handleFailure(failure, "Could not refresh the support score");
      }
      renderSupportScore();
      await lenses.refresh();
    },
  };
}

function select(personId: string, options: { centre?: boolean; openCard?: boolean } = {}): void {
  if (!app) return;
  const node = app.cy.getElementById(personId);
  if (node.empty()) return;
  app.cy.$(":selected").unselect();
  node.select();
  selectedId = personId;
  if (options.centre) {
    const extent = app.cy.extent();
    const { x, y } = node.position();
    if (x < extent.x1 || x > extent.x2 || y < extent.y1 || y > extent.y2) app.cy.animate({ center: { eles: node } }, { duration: 200 });
  }
  for (const item of byId("people-list").querySelectorAll("[data-person]")) {
    item.toggleAttribute("aria-current", item.getAttribute("data-person") === personId);
  }
  const person = app.map.people.get(personId);
  if (person) announce(`${person.name}, ${STANCE_LOOK[app.shownStance(personId)].word}${person.title ? `, ${person.title}` : ""}`);
  if (options.openCard) {
    void showCard(app, personId);
    showTab("person");
  }
  if (lenses.followsSelection) void lenses.refresh();
}

function wireMap(cy: cytoscape.Core): void {
  cy.on("tap", "node.person", (event) => {
    const id = event.target.id() as string;
    if (whatIf.active) {
      const shift = (event.originalEvent as MouseEvent | undefined)?.shiftKey ?? false;
      whatIf.step(id, shift ? -1 : 1);
      select(id);
      if (shownPersonId() === id && app) void showCard(app, id);
      return;
    }
    select(id, { openCard: true });
  });
  cy.on("tap", "node.team", (event) => {
    const covered = (event.target as cytoscape.NodeSingular).outgoers("node.person").map((n) => String(n.data("name")));
    app?.status(`${event.target.data("name")} (our team) covers ${covered.length ? covered.join(", ") : "nobody here"}.`);
  });
  cy.on("tap", (event) => {
    if (event.target === cy) {
      cy.$(":selected").unselect();
      selectedId = null;
    }
  });
  cy.on("dragfree", "node", () => {
    if (app) savePositions(cy, app.map.account.id);
  });
}

function mapKeys(event: KeyboardEvent): void {
  if (!app) return;
  const { cy } = app;
  const selected = selectedId ? cy.getElementById(selectedId) : null;
  if (event.key.startsWith("Arrow")) {
    const next = neighbourInDirection(cy, selected, event.key);
    if (next) select(next.id(), { centre: true });
  } else if (event.key === "Enter" && selectedId) {
    select(selectedId, { openCard: true });
  } else if (event.key === "+" || event.key === "=") {
    cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  } else if (event.key === "-") {
    cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  } else if (event.key === "0") {
    cy.fit(undefined, 40);
  } else if (event.key === "Escape") {
    cy.$(":selected").unselect();
    selectedId = null;
  } else if ((event.key === "]" || event.key === "[") && whatIf.active && selectedId) {
    whatIf.step(selectedId, event.key === "]" ? 1 : -1);
  } else {
    return;
  }
  event.preventDefault();
}

// ---------------------------------------------------------------- side panel parts

function showTab(tab: TabName, focus = false): void {
  for (const name of ["people", "person", "lens", "whatif"] as TabName[]) {
    const button = byId(`tab-${name}`);
    const active = name === tab;
    button.setAttribute("aria-selected", String(active));
    button.tabIndex = active ? 0 : -1;
    byId(`panel-${name}`).hidden = !active;
  }
  if (focus) byId(`tab-${tab}`).focus();
}

function renderPeople(): void {
  if (!app) return;
  const list = byId("people-list");
  const filter = byId<HTMLInputElement>("people-filter").value.trim().toLowerCase();
  clear(list);
  const people = [...app.map.people.values()]
    .filter((p) => !filter || `${p.name} ${p.title ?? ""} ${p.department ?? ""}`.toLowerCase().includes(filter))
    .sort((a, b) => (b.influence ?? 1) - (a.influence ?? 1) || a.name.localeCompare(b.name));
  for (const person of people.slice(0, 300)) {
    const stance = app.shownStance(person.id);
    const button = h("button", { type: "button", class: "person-item", "data-person": person.id, "aria-current": person.id === selectedId },
      h("span", { class: `stance-chip stance-${stance}`, "aria-hidden": "true" }, STANCE_LOOK[stance].glyph),
      h("span", { class: "person-name" }, person.name),
      h("span", { class: "muted" }, [STANCE_LOOK[stance].word, person.title, person.buyingRoles.map((r) => ROLE_CODE[r]).join(" ")].filter(Boolean).join(" · ")));
    button.addEventListener("click", () => select(person.id, { centre: true, openCard: true }));
    list.append(h("li", {}, button));
  }
  if (people.length > 300) list.append(h("li", { class: "muted" }, `${people.length - 300} more: type to narrow.`));
}

function renderSupportScore(): void {
  const score = app?.map.account.supportScore;
  byId("support-score").textContent = `Support score: ${score === null || score === undefined ? "unknown" : score.toFixed(2)} (−2 … +2)`;
}

function renderLegend(): void {
  const body = byId("legend-body");
  clear(body);
  body.append(
    h("ul", { class: "legend-list" },
      STANCES.map((s) => h("li", {}, h("span", { class: `stance-chip stance-${s}`, "aria-hidden": "true" }, STANCE_LOOK[s].glyph), ` ${STANCE_LOOK[s].word} (${STANCE_LOOK[s].shape.replace("-", " ")})`))),
    h("p", {}, "Size: influence 1–5. ★ core of a circle. Double border: decision maker. DM decision maker · AP approver · RE recommender · US user."),
    h("p", {}, "Arrow: influence (width = strength). Dashed teal: ally · dotted grey: knows · red with bars: rival. Chevron grey: reports to. Blue tag: our team, blue line: covers (relationship step)."),
  );
}

const LAYERS: Layer[] = ["ties", "team", "reports"];

function applyLayers(cy: cytoscape.Core): void {
  for (const layer of LAYERS) setLayer(cy, layer, byId<HTMLInputElement>(`layer-${layer}`).checked);
}

// ---------------------------------------------------------------- start

function wirePage(): void {
  byId<HTMLFormElement>("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = byId<HTMLInputElement>("token-input").value.trim();
    if (!token) {
      byId("signin-error").textContent = "Paste an API key or a token first.";
      return;
    }
    storeToken(token);
    void signIn(token).then((ok) => ok && showPicker());
  });
  byId("sign-out").addEventListener("click", () => signOut());
  byId("switch-account").addEventListener("click", () => showPicker());
  const search = byId<HTMLInputElement>("account-search");
  search.addEventListener("input", debounce(() => void searchAccounts(search.value), 200));
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      byId("account-list").querySelector<HTMLElement>("button")?.focus();
    }
  });
  arrowKeysMoveWithin(byId("account-list"), "button");
  arrowKeysMoveWithin(byId("people-list"), "button.person-item");
  arrowKeysMoveWithin(byId("lens-list"), "button.lens-row");
  arrowKeysMoveWithin(byId("lens-buttons"), "button");
  const filter = byId<HTMLInputElement>("people-filter");
  filter.addEventListener("input", debounce(renderPeople, 120));
  filter.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      byId("people-list").querySelector<HTMLElement>("button")?.focus();
    }
  });
  const tabs = byId("tabs");
  for (const tab of tabs.querySelectorAll<HTMLElement>("[role=tab]")) {
    tab.addEventListener("click", () => showTab(tab.id.replace("tab-", "") as TabName));
  }
  tablistKeys(tabs, (tab) => showTab(tab.id.replace("tab-", "") as TabName));
  byId("cy").addEventListener("keydown", mapKeys);
  for (const layer of LAYERS) {
    byId<HTMLInputElement>(`layer-${layer}`).addEventListener("change", (event) => {
      if (app) setLayer(app.cy, layer, (event.target as HTMLInputElement).checked);
    });
  }
  byId("whatif-toggle").addEventListener("click", () => whatIf.toggle());
  byId("fit-view").addEventListener("click", () => app?.cy.fit(undefined, 40));
  byId("relayout").addEventListener("click", () => {
    if (!app) return;
    forgetPositions(app.map.account.id);
    arrange(app.cy, app.map.account.id, true);
    app.cy.fit(undefined, 40);
  });
  byId("export-png").addEventListener("click", () => app && exportPng(app));
  byId("export-json").addEventListener("click", () => {
    if (app) exportJson(app).catch((failure) => handleFailure(failure, "Could not export"));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && !(event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement) && app) {
      event.preventDefault();
      showTab("people");
      byId("people-filter").focus();
    }
  });
  // A new window size (a large screen, a rotated tablet): redraw at the new size and fit the map.
  window.addEventListener(
    "resize",
    debounce(() => {
      if (!app) return;
      app.cy.resize();
      app.cy.fit(undefined, 40);
    }, 150),
  );
  window.addEventListener("unhandledrejection", (event) => {
    if (event.reason instanceof AuthError) signOut(`Signed out: ${event.reason.message}.`);
  });
}

function accountFromHash(): string | null {
  const match = /^#account=(.+)$/.exec(window.location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

async function boot(): Promise<void> {
  wirePage();
  whatIf.render();
  const token = storedToken();
  if (!token) {
    signOut();
    return;
  }
  const wanted = accountFromHash();
  if (!(await signIn(token))) {
    showView("signin");
    setState("signed-out");
    return;
  }
  if (wanted) await openAccount(wanted);
  else showPicker();
}

void boot();
