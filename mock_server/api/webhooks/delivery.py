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
import socket
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from mock_server.web.loopback import is_loopback_url, loopback_address

MAX_ATTEMPTS = 5
LOG_SIZE = 1000
TIMEOUT_SECONDS = 5.0


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a webhook target (checked on create, so no delivery ever fails on it)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        return f"`url` is not a URL that can be called: {error}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "`url` must be an http or https URL with a host"
    if parts.hostname.endswith(".") or ".." in parts.hostname:
        # `localhost.` and its kin reach this machine only through a resolver, which the mock never asks.
        return (f"`url` host `{parts.hostname}` is not a plain host name: use `localhost` or a literal address "
                "for this machine, or the host name without trailing dots")
    return None


def _shut(connection: socket.socket) -> None:
    """Wake a thread blocked reading `connection` (it reads the end of the stream at once)."""
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()




class Dispatcher:
    """Deliveries in the background, one worker per endpoint URL, started when there is work.

    A worker ends once its endpoint's queue is empty (and on `close()`), so an app that
    delivers nothing runs no thread, and an endpoint that never answers holds up only its
    own deliveries. The log keeps the newest LOG_SIZE deliveries, in order.
    """

    def __init__(self, base_delay: float = 1.0) -> None:
        self.base_delay = base_delay
        self._lock = threading.Condition()
        self._queues: dict[str, list] = {}  # endpoint URL → heap of (due time, tie-breaker, delivery)
        self._workers: dict[str, threading.Thread] = {}
        self._order = itertools.count()
        self._log: deque[dict] = deque(maxlen=LOG_SIZE)
        self._closed = False
        self._in_flight: set[socket.socket] = set()  # the socket of each attempt under way

    def on_status(self, account, event: str, message) -> None:
        """Store listener: queue `event` for every endpoint of the account that subscribed to it."""
        payload = {"event": event, "instanceId": message.instanceId, "messageId": message.id,
                   "providerMessageId": message.providerMessageId, "to": message.to,
                   "status": message.status, "timestamp": message.updatedAt}
        body = json.dumps(payload, separators=(",", ":")).encode()
        for webhook in account.webhooks.values():
            if event in webhook.events and webhook.active:
                self.enqueue(webhook, event, body)

    def enqueue(self, webhook: dict, event: str, body: bytes) -> None:
        entry = {"webhookId": webhook.id, "url": webhook.url, "event": event, "status": "pending",
                 "attempts": 0, "body": json.loads(body)}
        with self._lock:
            self._log.append(entry)
            if not is_loopback_url(webhook.url):
                entry["status"] = "skipped"
                return
            delivery = {"entry": entry, "secret": webhook.secret, "body": body}
            self._schedule(webhook.url, time.monotonic(), delivery)

    def _schedule(self, endpoint: str, due: float, delivery: dict) -> None:
        """Queue one attempt (the lock is held); start the endpoint's worker if it has none."""
        heapq.heappush(self._queues.setdefault(endpoint, []), (due, next(self._order), delivery))
        if endpoint not in self._workers and not self._closed:
            worker = threading.Thread(target=self._run, args=(endpoint,), name="msgflash-mock-webhook", daemon=True)
            self._workers[endpoint] = worker
            worker.start()
        self._lock.notify_all()

    def deliveries(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._log]

    def clear(self) -> None:
        with self._lock:
            for queue in self._queues.values():
                queue.clear()
            self._log.clear()
            self._lock.notify_all()

    def close(self, timeout: float = 2.0) -> None:
        """Stop every worker within `timeout` in all: an attempt under way is cut (its socket shut
        down, so an endpoint that answers a byte at a time cannot hold the shutdown); later
        deliveries are not attempted."""
        with self._lock:
            self._closed = True
            workers = list(self._workers.values())
            for connection in self._in_flight:
                _shut(connection)
            self._lock.notify_all()
        deadline = time.monotonic() + timeout
        for worker in workers:
            if worker is not threading.current_thread():
                worker.join(max(0.0, deadline - time.monotonic()))

    def workers(self) -> int:
        with self._lock:
            return len(self._workers)

    def _run(self, endpoint: str) -> None:
        while True:
            with self._lock:
                while True:
                    queue = self._queues.get(endpoint)
                    if self._closed or not queue:
                        self._workers.pop(endpoint, None)
                        if not queue:
                            self._queues.pop(endpoint, None)
                        return
                    wait = queue[0][0] - time.monotonic()
                    if wait <= 0:
                        break
                    self._lock.wait(wait)
                _, _, delivery = heapq.heappop(queue)
            self._attempt(endpoint, delivery)

    def _attempt(self, endpoint: str, delivery: dict) -> None:
        entry = delivery["entry"]
        try:
            url = urlsplit(entry["url"])
            # http.client keeps the documented header spelling (urllib would rewrite it).
            connection_type = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            target = (url.path or "/") + (f"?{url.query}" if url.query else "")
            # Only checked loopback hosts get here (is_loopback_url): connect to the address itself.
            connection = connection_type(loopback_address(url.hostname), url.port, timeout=TIMEOUT_SECONDS)
            connected = None
            try:
                connection.connect()
                connected = connection.sock  # http.client forgets it once an answer says "close"
                with self._lock:
                    if self._closed:
                        return
                    self._in_flight.add(connected)
                connection.request("POST", target, body=delivery["body"], headers={
                    "Content-Type": "application/json", "User-Agent": "msgflash-mock",
                    "X-MsgFlash-Event": entry["event"],
                    "X-MsgFlash-Signature": signature(delivery["secret"], delivery["body"])})
                succeeded = 200 <= connection.getresponse().status < 300
            finally:
                with self._lock:
                    self._in_flight.discard(connected)
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
                self._schedule(endpoint, time.monotonic() + delay, delivery)
