"""Powermap: a GraphQL API over account relationship graphs for key-account selling."""
