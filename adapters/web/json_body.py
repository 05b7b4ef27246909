"""Reading a JSON request body that cannot crash or stall the server.

Python's parser recurses once per nesting level, so a body of 100,000 ``[``
would end in a RecursionError (a 500). The depth is measured first, without
parsing, and a body deeper than any shape the API takes is refused in a sentence."""

import json
import re

from flask import request

MAX_DEPTH = 20  # the deepest API shape (criteria -> quotas -> quota) needs 4
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class UnreadableJson(ValueError):
    pass


def nesting_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in ``raw`` (brackets inside strings do not count)."""
    deepest = depth = 0
    for bracket in _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def json_body() -> object | None:
    """The request's JSON, None if it is not JSON; UnreadableJson if nested too deeply."""
    raw = request.get_data(cache=True)
    if nesting_depth(raw) > MAX_DEPTH:
        raise UnreadableJson(f"The JSON body nests arrays and objects more than {MAX_DEPTH} levels deep.")
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None
