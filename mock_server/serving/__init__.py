"""Serving: the mock behind waitress or granian, what a serving process prints, and how it starts.

waitress.py   Serving (a waitress loop we own) and the GC freezes of a serving process
granian.py    the same app behind granian, one forked worker
launch.py     the steps `serve` and `proxy` take around their server (fixtures, listen, signals)
console.py    the listening line, status and log lines on a stderr that never stalls
"""


class CannotServe(Exception):
    """The server cannot start: the message is the whole explanation, shown on one line (exit 2)."""
