// The domain's words as the page shows them: stance colours, glyphs and shapes, role codes.
// Colour is never the only signal: each stance also has a glyph in the label and a node shape.

export const STANCES = ["ENEMY", "OPPONENT", "NEUTRAL", "SUPPORTER", "MENTOR", "UNKNOWN"] as const;
export type Stance = (typeof STANCES)[number];

export const BUYING_ROLES = ["DECISION_MAKER", "APPROVER", "RECOMMENDER", "USER"] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

export interface StanceLook {
  word: string;
  glyph: string;
  colour: string;
  shape: string;
}

export const STANCE_LOOK: Record<Stance, StanceLook> = {
  ENEMY: { word: "enemy", glyph: "--", colour: "#c0392b", shape: "octagon" },
  OPPONENT: { word: "opponent", glyph: "-", colour: "#e67e22", shape: "round-diamond" },
  NEUTRAL: { word: "neutral", glyph: "0", colour: "#f1c40f", shape: "ellipse" },
  SUPPORTER: { word: "supporter", glyph: "+", colour: "#7dcea0", shape: "round-rectangle" },
  MENTOR: { word: "mentor", glyph: "++", colour: "#1e8449", shape: "star" },
  UNKNOWN: { word: "unknown", glyph: "?", colour: "#b3b6b7", shape: "barrel" },
};

/** One step towards support (what-if click), or back (shift-click). */
export function stanceStep(stance: Stance, direction: 1 | -1): Stance {
  const ladder: Stance[] = ["ENEMY", "OPPONENT", "NEUTRAL", "SUPPORTER", "MENTOR"];
  if (stance === "UNKNOWN") return "NEUTRAL";
  const index = ladder.indexOf(stance) + direction;
  return ladder[Math.max(0, Math.min(ladder.length - 1, index))] ?? stance;
}

export const ROLE_CODE: Record<BuyingRole, string> = {
  DECISION_MAKER: "DM",
  APPROVER: "AP",
  RECOMMENDER: "RE",
  USER: "US",
};

export const ROLE_WORD: Record<BuyingRole, string> = {
  DECISION_MAKER: "decision maker",
  APPROVER: "approver",
  RECOMMENDER: "recommender",
  USER: "user",
};

export const RELATIONSHIP_STEP: Record<number, string> = {
  1: "1 greeting",
  2: "2 facts",
  3: "3 shared views",
  4: "4 interests",
  5: "5 values",
};

export const TIE_WORD: Record<string, string> = { ALLY: "ally", KNOWS: "knows", RIVAL: "rival" };

export function humanise(value: string | null | undefined): string {
  return value ? value.toLowerCase().replace(/_/g, " ") : "—";
}

export function isStance(value: unknown): value is Stance {
  return typeof value === "string" && (STANCES as readonly string[]).includes(value);
}
