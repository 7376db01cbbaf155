"""Powermap's development tooling (not part of the service's package): see `local_neo4j`."""
