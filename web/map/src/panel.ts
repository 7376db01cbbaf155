// The side panel's card for one person: every field, influence in and out, ties, circles, coverage
// and last contact, history; and, for those who may edit, stance, influence and roles through
// stakeholderUpdate with the server's userErrors shown beside the field they name.

import { ApiError } from "./api";
import type { App } from "./app";
import { byId, clear, formatDate, h } from "./dom";
import {
  BUYING_ROLES,
  RELATIONSHIP_STEP,
  ROLE_WORD,
  STANCES,
  STANCE_LOOK,
  TIE_WORD,
  humanise,
  type BuyingRole,
  type Stance,
} from "./vocab";

interface Named {
  id: string;
  name: string;
}

interface Card {
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
  archived: boolean;
  version: number;
  updatedAt: string;
  lastContactAt: string | null;
  externalIds: { source: string; id: string }[];
  reportsTo: (Named & { title: string | null }) | null;
  directReports: (Named & { title: string | null })[];
  circles: { core: boolean; circle: Named }[];
  influences: LinkRow[];
  influencedBy: LinkRow[];
  ties: { id: string; kind: string; strength: number | null; note: string | null; a: Named; b: Named }[];
  coveredBy: {
    relationshipStep: number | null;
    relationshipType: string | null;
    lastContactAt: string | null;
    teamMember: Named & { role: string };
  }[];
  history: { at: string; by: string; entity: string; field: string; oldValue: string | null; newValue: string | null }[];
}

interface LinkRow {
  id: string;
  strength: number;
  kind: string | null;
  topic: string | null;
  confidence: number | null;
  from?: Named & { stance: Stance };
  to?: Named & { stance: Stance };
}

const HISTORY_ROWS = 20;

const CARD = `
query MapCard($id: ID!, $history: Int!) {
  stakeholder(id: $id) {
    id name title department email phone level stance influence buyingRoles buyerTypes adaptability
    personality contactTier notes archived version updatedAt lastContactAt
    externalIds { source id }
    reportsTo { id name title }
    directReports { id name title }
    circles { core circle { id name } }
    influences { id strength kind topic confidence to { id name stance } }
    influencedBy { id strength kind topic confidence from { id name stance } }
    ties { id kind strength note a { id name } b { id name } }
    coveredBy { relationshipStep relationshipType lastContactAt teamMember { id name role } }
    history(first: $history) { at by entity field oldValue newValue }
  }
}`;

const UPDATE = `
mutation MapStakeholderUpdate($input: StakeholderUpdateInput!) {
  stakeholderUpdate(input: $input) {
    stakeholder { id stance influence buyingRoles version updatedAt }
    userErrors { field message code }
  }
}`;

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}

let shownId: string | null = null;
let requestSerial = 0;

export function shownPersonId(): string | null {
  return shownId;
}

export async function showCard(app: App, personId: string, notice = ""): Promise<void> {
  const panel = byId("panel-person");
  const serial = ++requestSerial;
  shownId = personId;
  panel.setAttribute("aria-busy", "true");
  try {
    const data = await app.session.api.request<{ stakeholder: Card | null }>(CARD, { id: personId, history: HISTORY_ROWS });
    if (serial !== requestSerial) return;
    clear(panel);
    if (!data.stakeholder) {
      panel.append(h("p", { class: "form-error" }, "This person no longer exists."));
      return;
    }
    panel.append(renderCard(app, data.stakeholder, notice));
  } catch (error) {
    if (serial !== requestSerial) return;
    clear(panel);
    panel.append(h("p", { class: "form-error", role: "alert" }, `Could not load the card: ${(error as Error).message}`));
  } finally {
    if (serial === requestSerial) panel.removeAttribute("aria-busy");
  }
}

export function clearCard(): void {
  shownId = null;
  requestSerial++;
  const panel = byId("panel-person");
  clear(panel);
  panel.append(h("p", { class: "muted" }, "Click a person on the map or in the list."));
}

function stanceBadge(stance: Stance): HTMLElement {
  const look = STANCE_LOOK[stance];
  return h(
    "span",
    { class: `stance-badge stance-${stance}`, "data-stance": stance },
    h("span", { class: "swatch", "aria-hidden": "true" }),
    `[${look.glyph}] ${look.word}`,
  );
}

function personButton(app: App, person: Named, extra = ""): HTMLElement {
  return h(
    "button",
    { type: "button", class: "person-link", "data-person": person.id, onclick: () => app.select(person.id, { centre: true, openCard: true }) },
    person.name,
    extra,
  );
}

function section(title: string, ...content: (Node | string | null)[]): HTMLElement {
  return h("section", { class: "card-section" }, h("h3", {}, title), ...content);
}

function list(items: Node[], empty: string): HTMLElement {
  return items.length ? h("ul", { class: "plain" }, items.map((item) => h("li", {}, item))) : h("p", { class: "muted" }, empty);
}

function renderCard(app: App, card: Card, notice: string): HTMLElement {
  const shown = app.shownStance(card.id);
  const root = h("article", { class: "person-card", "data-person": card.id, "aria-labelledby": "card-name" });
  root.append(
    h("header", { class: "card-head" },
      h("h2", { id: "card-name", tabindex: "-1" }, card.name),
      stanceBadge(card.stance),
      shown !== card.stance ? h("p", { class: "whatif-note" }, "What-if: shown as ", stanceBadge(shown)) : null,
      h("p", { class: "muted" }, [card.title, card.department].filter(Boolean).join(" · ") || "no title"),
    ),
  );
  if (notice) root.append(h("p", { class: "notice", role: "status" }, notice));
  if (app.session.canEdit && !card.archived) root.append(editForm(app, card));
  root.append(details(card));
  root.append(
    section("Influenced by",
      list(card.influencedBy.map((l) => linkItem(app, l.from!, l)), "Nobody recorded.")),
    section("Influences",
      list(card.influences.map((l) => linkItem(app, l.to!, l)), "Nobody recorded.")),
    section("Ties",
      list(card.ties.map((t) => {
        const other = t.a.id === card.id ? t.b : t.a;
        return h("span", {}, `${TIE_WORD[t.kind] ?? t.kind}: `, personButton(app, other),
          t.strength ? ` · strength ${t.strength}` : "", t.note ? ` · ${t.note}` : "");
      }), "No ties.")),
    section("Circles",
      list(card.circles.map((m) => h("span", {}, m.core ? "★ core of " : "member of ", m.circle.name)), "In no circle.")),
    section("Coverage and contact",
      h("p", {}, "Last contact: ", h("strong", {}, formatDate(card.lastContactAt))),
      list(card.coveredBy.map((c) => h("span", {},
        `${c.teamMember.name} (${humanise(c.teamMember.role)}) · relationship step `,
        c.relationshipStep ? RELATIONSHIP_STEP[c.relationshipStep] ?? String(c.relationshipStep) : "not set",
        c.relationshipType ? ` · ${humanise(c.relationshipType)}` : "",
        ` · last contact ${formatDate(c.lastContactAt)}`)), "Nobody of ours covers this person.")),
    section("Reporting line",
      h("p", {}, "Reports to: ", card.reportsTo ? personButton(app, card.reportsTo, card.reportsTo.title ? ` (${card.reportsTo.title})` : "") : "nobody recorded"),
      card.directReports.length
        ? h("p", {}, "Direct reports: ", card.directReports.map((r) => [personButton(app, r), " "]).flat())
        : null),
    section(`History (latest ${HISTORY_ROWS})`,
      list(card.history.map((c) => h("span", { class: "history-row" },
        h("time", { datetime: c.at }, formatDate(c.at)), ` ${c.by}: ${c.entity}.${c.field} `,
        h("code", {}, c.oldValue ?? "∅"), " → ", h("code", {}, c.newValue ?? "∅"))), "No recorded changes.")),
  );
  return root;
}

function linkItem(app: App, other: Named & { stance: Stance }, link: LinkRow): Node {
  return h("span", {},
    personButton(app, other), ` [${STANCE_LOOK[other.stance].glyph}] · strength ${link.strength}`,
    link.kind ? ` · ${humanise(link.kind)}` : "",
    link.topic ? ` · ${link.topic}` : "",
    link.confidence !== null ? ` · confidence ${link.confidence}` : "");
}

function details(card: Card): HTMLElement {
  const rows: [string, string][] = [
    ["Title", card.title ?? "—"],
    ["Department", card.department ?? "—"],
    ["Org level", humanise(card.level)],
    ["Stance", STANCE_LOOK[card.stance].word],
    ["Influence", card.influence === null ? "unrated" : `${card.influence} of 5`],
    ["Buying roles", card.buyingRoles.map((r) => ROLE_WORD[r]).join(", ") || "none"],
    ["Buyer types", card.buyerTypes.map(humanise).join(", ") || "none"],
    ["Adaptability", humanise(card.adaptability)],
    ["Personality", humanise(card.personality)],
    ["Contact tier", humanise(card.contactTier)],
    ["Email", card.email ?? "—"],
    ["Phone", card.phone ?? "—"],
    ["Notes", card.notes ?? "—"],
    ["External ids", card.externalIds.map((e) => `${e.source}:${e.id}`).join(", ") || "—"],
    ["Archived", card.archived ? "yes" : "no"],
    ["Version", String(card.version)],
    ["Updated", formatDate(card.updatedAt)],
  ];
  return section("Card", h("dl", { class: "fields" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]).flat()));
}

function errorSlot(field: string): HTMLElement {
  return h("p", { class: "field-error", "data-error-for": field, role: "alert", id: `error-${field}` });
}

function editForm(app: App, card: Card): HTMLElement {
  const stance = h("select", { id: "edit-stance", name: "stance", "aria-describedby": "error-stance" },
    STANCES.map((s) => h("option", { value: s, selected: s === card.stance }, `[${STANCE_LOOK[s].glyph}] ${STANCE_LOOK[s].word}`)));
  const influence = h("input", {
    id: "edit-influence", name: "influence", type: "number", min: 1, max: 5, step: 1, inputmode: "numeric",
    value: card.influence ?? "", "aria-describedby": "error-influence",
  });
  const roles = BUYING_ROLES.map((role) =>
    h("label", { class: "check" },
      h("input", { type: "checkbox", name: "buyingRoles", value: role, checked: card.buyingRoles.includes(role) }),
      ` ${ROLE_WORD[role]}`));
  const formError = h("p", { class: "form-error", "data-error-for": "*", role: "alert" });
  const saved = h("p", { class: "notice", role: "status" });
  const form = h("form", { class: "edit-form edit-control", "data-edit": "stakeholder", novalidate: true },
    h("h3", {}, "Edit"),
    h("label", { for: "edit-stance" }, "Stance"), stance, errorSlot("stance"),
    h("label", { for: "edit-influence" }, "Influence (1 to 5; empty: unrated)"), influence, errorSlot("influence"),
    h("fieldset", { class: "roles", "aria-describedby": "error-buyingRoles" }, h("legend", {}, "Buying roles"), roles),
    errorSlot("buyingRoles"),
    formError,
    h("button", { type: "submit", class: "primary" }, "Save"),
    saved,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void submitEdit(app, card, form, formError, saved);
  });
  return form;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

async function submitEdit(app: App, card: Card, form: HTMLFormElement, formError: HTMLElement, saved: HTMLElement): Promise<void> {
  for (const slot of form.querySelectorAll<HTMLElement>("[data-error-for]")) slot.textContent = "";
  saved.textContent = "";
  const data = new FormData(form);
  const input: Record<string, unknown> = { id: card.id, version: card.version };
  const stance = String(data.get("stance")) as Stance;
  if (stance !== card.stance) input["stance"] = stance;
  const rawInfluence = String(data.get("influence") ?? "").trim();
  const influence = rawInfluence === "" ? null : Number(rawInfluence);
  if (influence !== null && !Number.isInteger(influence)) {
    showFieldError(form, formError, ["input", "influence"], "Influence is a whole number from 1 to 5.");
    return;
  }
  if (influence !== card.influence) input["influence"] = influence;
  const roles = data.getAll("buyingRoles").map(String);
  if (!sameSet(roles, card.buyingRoles)) input["buyingRoles"] = roles;
  if (Object.keys(input).length === 2) {
    saved.textContent = "Nothing changed.";
    return;
  }
  const button = form.querySelector("button[type=submit]") as HTMLButtonElement;
  button.disabled = true;
  try {
    const result = await app.session.api.request<{
      stakeholderUpdate: { stakeholder: { id: string; stance: Stance; influence: number | null; buyingRoles: BuyingRole[]; version: number; updatedAt: string } | null; userErrors: UserError[] };
    }>(UPDATE, { input });
    const payload = result.stakeholderUpdate;
    if (payload.userErrors.length || !payload.stakeholder) {
      for (const error of payload.userErrors) showFieldError(form, formError, error.field, errorText(error));
      return;
    }
    const person = app.map.people.get(card.id);
    if (person) {
      Object.assign(person, {
        stance: payload.stakeholder.stance,
        influence: payload.stakeholder.influence,
        buyingRoles: payload.stakeholder.buyingRoles,
        version: payload.stakeholder.version,
        updatedAt: payload.stakeholder.updatedAt,
      });
      await app.personSaved(person);
    }
    await showCard(app, card.id, "Saved.");
  } catch (error) {
    formError.textContent = error instanceof ApiError ? `The server refused: ${error.message}` : `Could not save: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
}

function errorText(error: UserError): string {
  return error.code === "STALE" ? `${error.message} Reload the card to see the latest version.` : error.message;
}

function showFieldError(form: HTMLElement, formError: HTMLElement, field: string[] | null, message: string): void {
  const name = field?.[field.length - 1];
  const slot = name ? form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(name)}"]`) : null;
  const target = slot ?? formError;
  target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
  const control = name ? form.querySelector<HTMLElement>(`[name="${CSS.escape(name)}"]`) : null;
  control?.setAttribute("aria-invalid", "true");
}
