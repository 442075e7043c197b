"""The mock-only control API under /_mock/ — not part of MsgFlash.

views.py     the routes: reset, clock, faults, journal, accounts, lifecycle, advance, start
schemas/     their request bodies as JSON Schemas, checked by the pipeline's body step
faults.py    fault rules: an error, a dropped connection or latency alone (a tagged union)
journal.py   the request journal, secrets redacted; state.py keeps both per app
accounts.py  per-test account changes, checked against mock_server/fixtures.schema.json

A new fault kind: one more effect class in faults.py, its branch in schemas/fault.schema.json,
and what the pipeline does with it in pipeline/api_access.apply_fault.
"""
