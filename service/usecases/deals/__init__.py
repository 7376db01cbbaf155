"""Deals by hand (DOMAIN.md "Deals"): opportunities with their burning issue, UCV, buying centre, competitors
involved and scorecard; competitors and their reps (the workspace's); rep contacts and favours; and the deal
step of the account import. Every write needs `WRITE_INTELLIGENCE` (the import: `SYNC`), checks its input
with `service.rules.deals.validation`, ticks the clocks of the accounts whose data it changes and logs every
change (`service.rules.deals.changes`)."""
