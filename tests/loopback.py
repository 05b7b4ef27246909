"""What the fakes of outside services (Telegram, Twilio, WhatsApp) share: an HTTP server on
loopback, in threads, that takes as many connections at once as a real client opens."""

import sys
from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    """A client hanging up mid-answer (a bot stopping while it long-polls) is normal, not an error to print."""

    daemon_threads = True
    request_queue_size = 128  # socketserver's default backlog is 5; a client may open dozens of connections at once

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
