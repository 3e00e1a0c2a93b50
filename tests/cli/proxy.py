"""A TCP proxy between the command and the server that loses one answer.

The first connection's request reaches the server whole; as soon as the server starts to answer,
both sides of that connection are closed. The server has done the work, the client never hears
of it: the case an Idempotency-Key exists for. Every later connection is relayed untouched.
"""

import select
import socket
import threading
from types import TracebackType

BUFFER_BYTES = 65536


class AnswerLostOnce:
    def __init__(self, upstream_port: int) -> None:
        self._upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.answers_lost = 0
        self._connections = 0
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "AnswerLostOnce":
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
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _first_connection(self) -> bool:
        with self._lock:
            self._connections += 1
            return self._connections == 1

    def _relay(self, client: socket.socket) -> None:
        upstream = socket.create_connection(("127.0.0.1", self._upstream_port))
        lose = self._first_connection()
        with client, upstream:
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
