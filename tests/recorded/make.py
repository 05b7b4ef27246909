"""Make the recorded store and its answers (once, on purpose): ``python -m tests.recorded.make``."""

import base64
import json
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

from tests.recorded.questions import ANSWERS, MASTER_KEY_FILE, RECORDED, ask_everything, store_in


def main() -> None:
    if RECORDED.exists() or ANSWERS.exists():
        sys.exit(f"{RECORDED} or {ANSWERS} exists: remove them first if you mean to remake them.")
    with tempfile.TemporaryDirectory() as scratch:
        var = Path(scratch)
        (var / MASTER_KEY_FILE).write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        with store_in(var) as ask:
            result = ask("demo", "--no-report")
            assert isinstance(result, str), result
            RECORDED.mkdir()
            for name in ("datatrust.sqlite3", "keyring", MASTER_KEY_FILE):
                shutil.copy(var / name, RECORDED / name)
            answers = ask_everything(ask)
    ANSWERS.write_text(json.dumps(answers, indent=1, sort_keys=True) + "\n")
    print(f"made {RECORDED} and {ANSWERS} ({len(answers)} answers)")


if __name__ == "__main__":
    main()
