"""How the service is started: the ASGI app (`app`) and the `powermap` command (`cli`: serve, import,
sync, neo4j). Each opens the database with `service.runtime.open_database` and calls the GraphQL layer
or the use cases; nothing else depends on this package."""
