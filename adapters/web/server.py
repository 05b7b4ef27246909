"""Serving the web forms through gunicorn (a production WSGI server).

Each worker process builds its own services (engines must not cross a fork);
the writer lock in the store keeps commands from the workers in one order."""

import re

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from adapters.bootstrap import settle_heap
from adapters.web.factory import create_app
from domain.store.storage import checkpoint_in_background

SECRET_PATH = re.compile(r"/welcome/[^/ ?]+")


class RedactingLogger(Logger):
    """Access log lines without secrets: a one-time sign-in link's token is a password."""

    def atoms(self, resp, req, environ, request_time):  # type: ignore[no-untyped-def]
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: SECRET_PATH.sub("/welcome/[token]", value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }


def worker_app():  # type: ignore[no-untyped-def]
    app = create_app()
    checkpoint_in_background(app.extensions["datatrust"].trust.engine)  # SQLite: not inside requests
    settle_heap()  # a request's collection looks at the request's objects only
    return app


class TrustServer(BaseApplication):
    def __init__(self, host: str, port: int, workers: int, threads: int = 4):
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "accesslog": "-",
            "logger_class": RedactingLogger,
            # Paths only, never query strings (they could name a member).
            "access_log_format": '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
            "forwarded_allow_ips": "127.0.0.1",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:  # gunicorn 27+: no runtime control socket
            self.cfg.set("control_socket_disable", True)

    def load(self):  # type: ignore[no-untyped-def]
        return worker_app()
