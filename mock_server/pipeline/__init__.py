"""The request pipeline: every request the mock answers, in one list of steps (steps.py).

steps.py           handle_request: route → caller → body → view → answer → journal
api_access.py      step 2 for /api/: key, team, fault, rate limit (the window is Store.allow_request),
                   quotas, due work, forced error
control_access.py  step 2 for /_mock/: loopback callers only
responder.py       the one place an answer or an error becomes an HTTP response
flask_app.py       MockFlask: Flask's dispatch replaced by handle_request
"""
