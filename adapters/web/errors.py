"""Error pages (HTML for people, JSON for the API) and the headers every response carries."""

import logging
import traceback

from flask import Flask, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from adapters.web.api import problem
from adapters.web.pages import page

log = logging.getLogger(__name__)

WORDS = {
    400: ("The form could not be accepted", "Go back, reload the page and try again."),
    403: ("Not allowed", "Your account does not have a role that may open this page."),
    404: ("Page not found", "Check the address, or go back to the start."),
    405: ("Not allowed", "This page cannot be used that way."),
    413: ("Too much data", "The form sent more than the trust accepts."),
    429: ("Too many attempts", "Please wait a few minutes and try again."),
    500: (
        "Something went wrong",
        "Please check whether your change was saved before trying again. If it happens again, tell a trustee.",
    ),
}

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # no address ever leaves the site; HTTPS form posts need it (CSRF)
}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_missing(error: CSRFError):  # type: ignore[no-untyped-def]
        return page(
            "error.html",
            400,
            title="The form could not be accepted",
            message="The form's security token was missing or out of date. Reload the page and try again.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        if _is_api():
            return problem(code, error.description or "error")
        title, message = WORDS.get(code, (error.name, error.description or ""))
        return page("error.html", code, title=title, message=message)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        # The type and where it was raised, never the message: it may hold personal data.
        frames = traceback.extract_tb(error.__traceback__)
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
        log.error("Unexpected %s at %s on %s %s", type(error).__name__, where, request.method, request.url_rule)
        if _is_api():
            return problem(500, "Something went wrong; nothing was recorded.")
        title, message = WORDS[500]
        return page("error.html", 500, title=title, message=message)

    @app.after_request
    def headers(response):  # type: ignore[no-untyped-def]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.endpoint != "static":
            # API answers, pages and downloads may carry personal data: no browser or proxy keeps a copy.
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config["SESSION_COOKIE_SECURE"]:  # served over HTTPS: browsers must never fall back to HTTP
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
