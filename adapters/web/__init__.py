"""The web forms for caseworkers and trustees, and the organisation API."""

from adapters.web.factory import create_app

__all__ = ["create_app"]
