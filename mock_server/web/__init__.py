"""What the views of both the API and the control API share.

operations.py  @operation: a view's body schema, success statuses and key rules, declared once
bodies.py      the body step: JSON, storable, against its schema (the linter's or a control one)
queries.py     query parameters declared once (read by views, described by /openapi.json)
paging.py      opaque cursors and pages; context.py the current store, account and dispatcher
loopback.py    which hosts are this machine (never resolving a name)
"""
