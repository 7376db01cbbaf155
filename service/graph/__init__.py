"""Persistence: the driver, every Cypher query (as named constants), and schema migrations.

Graph functions take a managed transaction first, run parameterised constant queries and return
domain types from `service.rules`; they never open sessions and never commit.
"""
