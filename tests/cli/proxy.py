"""TCP proxies between the command and the server, each bending the connection one way.

`AnswerLostOnce`: the first connection's request reaches the server whole; as soon as the
server starts to answer, both sides of that connection are closed. The server has done the
work, the client never hears of it: the case an Idempotency-Key exists for. Every later
connection is relayed untouched.

`SlowUpload`: the client's bytes reach the server slowly (its answers at once), so that a test
can change a file while the command is still sending it.

`RefusedOnce`: the first request is read whole and answered by the relay itself with an error
of the server's shape (a code, a sentence, `Retry-After`), as a server at a limit answers;
every later connection is relayed untouched.
"""

import json
import re
import select
import socket
import threading
import time
from types import TracebackType
from typing import Self

BUFFER_BYTES = 65536


class _Relay:
    """Listens on a free port of its own and relays each connection to the server's port."""

    def __init__(self, upstream_port: int) -> None:
        self._upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.connected_at: list[float] = []  # time.monotonic() of each connection
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=self._connection, args=(client,), daemon=True).start()

    def _connection(self, client: socket.socket) -> None:
        with self._lock:
            self.connected_at.append(time.monotonic())
            first = len(self.connected_at) == 1
        upstream = socket.create_connection(("127.0.0.1", self._upstream_port))
        with client, upstream:
            if first:
                self._first(client, upstream)
            else:
                self._relay(client, upstream)

    def _first(self, client: socket.socket, upstream: socket.socket) -> None:
        self._relay(client, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        while True:
            readable, _, _ = select.select([client, upstream], [], [])
            for source in readable:
                data = source.recv(BUFFER_BYTES)
                if not data:
                    return
                (upstream if source is client else client).sendall(data)


class AnswerLostOnce(_Relay):
    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port)
        self.answers_lost = 0

    def _first(self, client: socket.socket, upstream: socket.socket) -> None:
        while True:
            readable, _, _ = select.select([client, upstream], [], [])
            if upstream in readable:
                self.answers_lost += 1
                return
            data = client.recv(BUFFER_BYTES)
            if not data:
                return
            upstream.sendall(data)


class RefusedOnce(_Relay):
    def __init__(self, upstream_port: int, status: int, code: str, retry_after: int) -> None:
        super().__init__(upstream_port)
        body = json.dumps({"detail": f"Refused once by the test ({code}).", "code": code})
        self._answer = (
            f"HTTP/1.1 {status} Refused\r\nContent-Type: application/json\r\n"
            f"Retry-After: {retry_after}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n{body}"
        ).encode()

    def _first(self, client: socket.socket, upstream: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            request += client.recv(BUFFER_BYTES)
        head, body = request.split(b"\r\n\r\n", 1)
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        remaining = int(length[1]) - len(body) if length else 0
        while remaining > 0:
            remaining -= len(client.recv(BUFFER_BYTES))
        client.sendall(self._answer)


class SlowUpload(_Relay):
    def __init__(self, upstream_port: int, bytes_per_second: int) -> None:
        super().__init__(upstream_port)
        self._pause = BUFFER_BYTES / bytes_per_second
        self.received = 0  # bytes the client has sent so far

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        while True:
            readable, _, _ = select.select([client, upstream], [], [])
            for source in readable:
                data = source.recv(BUFFER_BYTES)
                if not data:
                    return
                if source is client:
                    self.received += len(data)
                    time.sleep(self._pause)
                (upstream if source is client else client).sendall(data)
