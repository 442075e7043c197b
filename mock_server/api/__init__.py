"""The documented MsgFlash API, one folder per resource: `models.py` holds its rules and state
changes (no HTTP), `views.py` its routes (parse, call the model, return the `data`).

messages/    send, schedule, get, list; the status flow        templates/  CRUD, preview, rendering.py
campaigns/   create, get, stats, pause, resume; processing      contacts/   contacts and groups, members
bulk_jobs/   bulk delete and async member changes               lookups/    number lookups, statuses
webhooks/    endpoints (models.py), signed delivery (delivery.py) instances/ reads, warm-up safety.py
billing/     /me, /usage, /billing/*                           due_work.py what the clock made due

Where a change goes: a new route → the resource's views.py, declared with `@operation` (its
body schema and status) and registered in mock_server/app.py's RESOURCES if the resource is new;
a documented error code → schemas/responses.schema.json (`x-msgflash-error-codes`), then raise
`ApiError("CODE")` where the rule is; a new field of a stored resource → its schema in schemas/
and its line in mock_server/state/records.py (and WRITABLE, for a contact field clients may set;
mock_server/fixtures.schema.json, for one fixture files may set).
"""
