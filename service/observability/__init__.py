"""What the service tells its operators: the request context, structured logs, metrics and traces.

A leaf package: every layer may import it, it imports no other part of the service.
"""
