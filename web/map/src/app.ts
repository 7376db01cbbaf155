// What the parts of the page share once an account is open.

import type cytoscape from "cytoscape";
import type { AccountMap, Person } from "./model";
import type { Session } from "./session";
import type { Stance } from "./vocab";

export type TabName = "people" | "person" | "lens" | "whatif";

export interface App {
  session: Session;
  map: AccountMap;
  cy: cytoscape.Core;
  /** Select a person on the map (and in the lists); optionally centre them and open their card. */
  select(personId: string, options?: { centre?: boolean; openCard?: boolean }): void;
  showTab(tab: TabName, focus?: boolean): void;
  /** After a saved edit: redraw the person, refresh the support score and the active lens. */
  personSaved(person: Person): Promise<void>;
  /** The stance shown for a person: a what-if stance while one is set, else the stored one. */
  shownStance(personId: string): Stance;
  status(message: string): void;
}
