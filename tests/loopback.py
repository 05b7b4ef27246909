"""What the fakes of outside services (Telegram, Twilio, WhatsApp) share: an HTTP server on
loopback, in threads, that takes as many connections at once as a real client opens."""

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer (a bot stopping while it long-polls) is normal, not an error to print."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's default backlog is 5; a client may open dozens of connections at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LoopbackServer:
    """One fake's HTTP server on 127.0.0.1 (port 0: a free one), serving in a background thread."""

    def __init__(self, name: str, host: str = "127.0.0.1", port: int = 0):
        self.name, self.host, self.port = name, host, port
        self._server: QuietServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = QuietServer((self.host, self.port), handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name=self.name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
