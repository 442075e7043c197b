"""The mock's state, with no HTTP: what every layer above reads and changes.

store.py        Store (all accounts behind one lock, ids, the rate-limit window, message status
                changes) and Account (one workspace's resources, plan, limits, usage)
records.py      the shape of every stored resource: documented fields, bookkeeping, to_json()
message_log.py  an account's messages: paging from the newest, usage windows, retention
clock.py        the mock's time: the wall clock, or one a test freezes and moves
fixtures.py     fixture files: read, check against fixtures.schema.json, fill in defaults
errors.py       ApiError and the documented error codes (from schemas/responses.schema.json)
"""
