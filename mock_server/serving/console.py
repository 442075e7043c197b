"""What a serving process says: its listening line on stdout, status and log lines on stderr that
can never stall the server.

A test suite that starts `msgflash-mock serve` with `stderr=PIPE` and never reads it fills
the pipe after some thousand access-log lines; a blocking write would then hang every
request thread. When stderr is a pipe, writes here are non-blocking and a line that does not
fit is dropped (and counted) instead. Files and terminals are written as usual.
"""

from __future__ import annotations

import os
import stat
import sys


class NonBlockingStderr:
    def __init__(self) -> None:
        self.fd = sys.stderr.fileno()
        self.dropped = 0
        try:
            self.is_pipe = stat.S_ISFIFO(os.fstat(self.fd).st_mode)
        except OSError:
            self.is_pipe = False
        if self.is_pipe:
            os.set_blocking(self.fd, False)

    def write(self, text: str) -> int:
        data = text.encode("utf-8", "backslashreplace")
        try:
            # A line is at most a few hundred bytes: under PIPE_BUF, a pipe takes it whole or not at all.
            os.write(self.fd, data)
        except BlockingIOError:
            self.dropped += 1
        except OSError:  # stderr closed by whoever started us: nothing to report to
            self.dropped += 1
        return len(text)

    def flush(self) -> None:
        pass


STDERR = NonBlockingStderr()


def log_to_stderr(quiet: bool) -> None:
    """One access-log line per request on stderr (unless `quiet`), and the mock's own warnings,
    through the never-blocking writer above."""
    import logging

    handler = logging.StreamHandler(STDERR)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name, level in (("msgflash_mock", logging.WARNING), ("msgflash_mock.access", logging.INFO)):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.CRITICAL + 1 if quiet and name.endswith("access") else level)
        logger.propagate = False


def say(line: str) -> None:
    """A status line on stderr, through the same never-blocking writer as the log."""
    STDERR.write(line + "\n")


def announce(host: str, port: int) -> None:
    """The line test suites wait for on stdout: the server accepts connections from now on."""
    shown_host = f"[{host}]" if ":" in host else host
    sys.stdout.write(f"msgflash-mock listening on http://{shown_host}:{port}\n")
    sys.stdout.flush()
