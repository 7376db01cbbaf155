"""Pure rules of the hand-made entity writes: which ids an input names, field checks, diffs and history rows."""
