"""Every write to the graph, in the caller's transaction: single entities by hand, account imports,
contact syncs and merges. Each function takes the transaction first and returns domain types; the use
cases (`service.usecases`) compose them. The GraphQL layer never imports this package."""
