"""Hand-made writes of single entities, in the caller's transaction. Each function takes the transaction
first and returns domain types; the mutations in `service.schema.mutations` compose them."""
