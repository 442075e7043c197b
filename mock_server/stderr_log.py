"""Log lines on stderr that can never stall the server.

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
