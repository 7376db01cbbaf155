"""Pure domain logic: no I/O, and no imports from `service.graph` or `service.schema`."""
