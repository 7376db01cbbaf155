"""GraphQL object types: thin projections of domain objects; relations resolve through DataLoaders."""
