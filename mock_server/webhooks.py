"""Webhook deliveries: signed POSTs off the request thread, retried with exponential backoff.

Each message status change becomes one delivery per subscribed endpoint:
POST <url>, Content-Type: application/json, X-MsgFlash-Event: <event>,
X-MsgFlash-Signature: sha256=<lowercase hex HMAC-SHA256(secret, raw body)>.
Up to 5 attempts (1 + 4 retries, decision D13); any non-2xx answer or network error is
retried after base_delay × 2^(attempt − 1) seconds. The mock only delivers to loopback
addresses; other URLs are logged as `skipped`, so a test run never reaches the network.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import http.client
import itertools
import json
import threading
import time
from collections import deque
from urllib.parse import urlsplit

MAX_ATTEMPTS = 5
LOG_SIZE = 1000
TIMEOUT_SECONDS = 5.0
_LOOPBACK = ("localhost", "::1")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in _LOOPBACK or host.startswith("127.")


class Dispatcher:
    """One background thread per app; the log keeps the newest LOG_SIZE deliveries in order."""

    def __init__(self, base_delay: float = 1.0) -> None:
        self.base_delay = base_delay
        self._lock = threading.Condition()
        self._queue: list = []  # (due time, tie-breaker, delivery)
        self._order = itertools.count()
        self._log: deque[dict] = deque(maxlen=LOG_SIZE)
        self._thread = threading.Thread(target=self._run, name="msgflash-mock-webhooks", daemon=True)
        self._thread.start()

    def on_status(self, account, event: str, message: dict) -> None:
        """Store listener: queue `event` for every endpoint of the account that subscribed to it."""
        payload = {"event": event, "instanceId": message["instanceId"], "messageId": message["id"],
                   "providerMessageId": message["providerMessageId"], "to": message["to"],
                   "status": message["status"], "timestamp": message["updatedAt"]}
        body = json.dumps(payload, separators=(",", ":")).encode()
        for webhook in account.webhooks.values():
            if event in webhook["events"] and webhook["active"]:
                self.enqueue(webhook, event, body)

    def enqueue(self, webhook: dict, event: str, body: bytes) -> None:
        entry = {"webhookId": webhook["id"], "url": webhook["url"], "event": event, "status": "pending",
                 "attempts": 0, "body": json.loads(body)}
        with self._lock:
            self._log.append(entry)
            if not is_loopback(webhook["url"]):
                entry["status"] = "skipped"
                return
            delivery = {"entry": entry, "secret": webhook["secret"], "body": body}
            heapq.heappush(self._queue, (time.monotonic(), next(self._order), delivery))
            self._lock.notify()

    def deliveries(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._log]

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            self._log.clear()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue or self._queue[0][0] > time.monotonic():
                    self._lock.wait(None if not self._queue else self._queue[0][0] - time.monotonic())
                _, _, delivery = heapq.heappop(self._queue)
            self._attempt(delivery)

    def _attempt(self, delivery: dict) -> None:
        entry = delivery["entry"]
        url = urlsplit(entry["url"])
        # http.client keeps the documented header spelling (urllib would rewrite it).
        connection_type = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        try:
            connection = connection_type(url.hostname, url.port, timeout=TIMEOUT_SECONDS)
            try:
                connection.request("POST", target, body=delivery["body"], headers={
                    "Content-Type": "application/json", "User-Agent": "msgflash-mock",
                    "X-MsgFlash-Event": entry["event"],
                    "X-MsgFlash-Signature": signature(delivery["secret"], delivery["body"])})
                succeeded = 200 <= connection.getresponse().status < 300
            finally:
                connection.close()
        except (OSError, http.client.HTTPException, ValueError):
            succeeded = False
        with self._lock:
            entry["attempts"] += 1
            if succeeded:
                entry["status"] = "delivered"
            elif entry["attempts"] >= MAX_ATTEMPTS:
                entry["status"] = "failed"
            else:
                delay = self.base_delay * 2 ** (entry["attempts"] - 1)
                heapq.heappush(self._queue, (time.monotonic() + delay, next(self._order), delivery))
