"""The use cases: every read and write the service offers, free of any transport.

Each takes the `Services` of the process, the acting `Principal` and plain inputs (domain types from
`service.rules`), checks what the principal may do, and does the work: lock, check, diff, write and
history in one transaction for a write (`writing.write`). A refused input raises `Rejected` with every
problem found, and nothing is written; a refused principal raises `Forbidden`. The GraphQL layer, the
command line and the demo loader all call these; none of them writes to the graph directly.
"""
