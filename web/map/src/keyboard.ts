// Keyboard use: arrow keys within lists and tabs, and across the map from person to person.

import type cytoscape from "cytoscape";

/** Up/Down (and Home/End) move focus between the buttons of a list; Tab leaves the list. */
export function arrowKeysMoveWithin(container: HTMLElement, itemSelector: string): void {
  container.addEventListener("keydown", (event) => {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    const items = [...container.querySelectorAll<HTMLElement>(itemSelector)].filter((el) => !el.closest("[hidden]"));
    if (!items.length) return;
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === "Home" ? 0
      : event.key === "End" ? items.length - 1
      : event.key === "ArrowDown" ? Math.min(items.length - 1, index + 1)
      : Math.max(0, index - 1);
    event.preventDefault();
    items[next]?.focus();
  });
}

/** ARIA tabs: Left/Right move between tabs and activate them. */
export function tablistKeys(tablist: HTMLElement, activate: (tab: HTMLElement) => void): void {
  tablist.addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    const tabs = [...tablist.querySelectorAll<HTMLElement>("[role=tab]")];
    const index = tabs.indexOf(document.activeElement as HTMLElement);
    const next =
      event.key === "Home" ? 0
      : event.key === "End" ? tabs.length - 1
      : (index + (event.key === "ArrowRight" ? 1 : -1) + tabs.length) % tabs.length;
    event.preventDefault();
    const tab = tabs[next];
    if (tab) {
      activate(tab);
      tab.focus();
    }
  });
}

const DIRECTIONS: Record<string, [number, number]> = {
  ArrowRight: [1, 0],
  ArrowLeft: [-1, 0],
  ArrowDown: [0, 1],
  ArrowUp: [0, -1],
};

/** The visible person nearest to `from` in an arrow key's direction (within a 120° cone). */
export function neighbourInDirection(cy: cytoscape.Core, from: cytoscape.NodeSingular | null, key: string): cytoscape.NodeSingular | null {
  const people = cy.nodes("node.person:visible");
  if (!people.length) return null;
  if (!from || from.empty()) {
    // Nothing selected yet: start at the most influential person, then by name.
    return people.sort((a, b) => Number(b.data("size")) - Number(a.data("size")) || String(a.data("name")).localeCompare(String(b.data("name")))).first() as cytoscape.NodeSingular;
  }
  const direction = DIRECTIONS[key];
  if (!direction) return null;
  const [dx, dy] = direction;
  const origin = from.position();
  let best: cytoscape.NodeSingular | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  people.forEach((node) => {
    if (node.same(from)) return;
    const x = node.position().x - origin.x;
    const y = node.position().y - origin.y;
    const along = x * dx + y * dy;
    const across = Math.abs(x * dy - y * dx);
    if (along <= 0 || across > along * 1.7) return;
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = node;
    }
  });
  return best;
}
