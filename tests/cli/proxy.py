"""TCP proxies between the command and the server, each bending the connection one way.

`AnswerLostOnce`: the first connection's request reaches the server whole; as soon as the
server starts to answer, both sides of that connection are closed. The server has done the
work, the client never hears of it: the case an Idempotency-Key exists for. Every later
connection is relayed untouched.

`SlowUpload`: the client's bytes reach the server slowly (its answers at once), so that a test
can change a file while the command is still sending it.
"""

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
        upstream = socket.create_connection(("127.0.0.1", self._upstream_port))
        with client, upstream:
            self._relay(client, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        raise NotImplementedError


class AnswerLostOnce(_Relay):
    def __init__(self, upstream_port: int) -> None:
        super().__init__(upstream_port)
        self.answers_lost = 0
        self._connections = 0
        self._lock = threading.Lock()

    def _first_connection(self) -> bool:
        with self._lock:
            self._connections += 1
            return self._connections == 1

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        lose = self._first_connection()
        while True:
            readable, _, _ = select.select([client, upstream], [], [])
            for source in readable:
                data = source.recv(BUFFER_BYTES)
                if lose and source is upstream:
                    self.answers_lost += 1
                    return
                if not data:
                    return
                (upstream if source is client else client).sendall(data)


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
