"""The one composition root: settings -> services (application, views, clock, vault)."""

import gc
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher

from adapters.keyring_file import FileKeyring
from adapters.settings import Settings
from domain.insight.draws import MAX_DRAW_SECONDS
from domain.kernel.catalogue import Catalogue, load_catalogue
from domain.kernel.clock import Clock, system_clock
from domain.kernel.errors import TrustError
from domain.sealing.vault import Vault, WrongMasterKey, decode_master_key, new_master_key
from domain.store.credentials import Credentials
from domain.store.storage import writing
from domain.trust import Trust
from projections.core.rebuild import catch_up, rebuild
from projections.views import TrustViews


class ConfigurationError(TrustError):
    def __init__(self, why: str):
        super().__init__(f"The trust is not configured correctly: {why}.")


@dataclass
class Services:
    trust: Trust
    views: TrustViews
    catalogue: Catalogue
    clock: Clock
    settings: Settings

    def close(self) -> None:
        self.trust.close()
        self.views.engine.dispose()


def private_folder(path: Path) -> None:
    """Create ``path`` (the store's folder, ``var/``) readable only by the trust's own user;
    an existing folder is left as its owner set it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)  # whatever the umask


def private_database(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite opens it: SQLite gives the file's
    write-ahead log and shared-memory index (-wal, -shm) the same mode. A store made
    before this (0644) loses what others could read of it: group and others' bits go."""
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if file.exists() and file.stat().st_mode & 0o077:
                file.chmod(file.stat().st_mode & 0o700)


def master_key(settings: Settings) -> tuple[bytes, bool]:
    """From DATATRUST_MASTER_KEY, else a key file created once with mode 0600.
    Returns the key and whether the file was created just now."""
    if settings.master_key:
        return decode_master_key(settings.master_key), False
    path = settings.master_key_file
    created = False
    if not path.exists():
        private_folder(path.parent)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_master_key() + "\n")
        created = True
    try:
        return decode_master_key(path.read_text()), created
    except OSError as error:
        raise ConfigurationError(f"cannot read the master key file {path}: {error.strerror}") from None


def bootstrap(
    settings: Settings | None = None,
    clock: Clock = system_clock,
    catch_up_now: bool = True,
    password_hasher: PasswordHasher | None = None,
) -> Services:
    """The one composition root. ``password_hasher`` is for tests (argon2's cheapest
    profile); the service always hashes with the recommended parameters."""
    settings = settings or Settings.from_environment()
    if settings.sqlite_path is not None:
        private_database(Path(settings.sqlite_path))
    if not 1 <= settings.panel_draw_seconds <= MAX_DRAW_SECONDS:
        raise ConfigurationError(
            f"DATATRUST_PANEL_DRAW_SECONDS must be a number of seconds from 1 to {MAX_DRAW_SECONDS}"
        )
    if settings.twilio_auth_token and not (settings.twilio_webhook_url or "").startswith(("https://", "http://")):
        raise ConfigurationError(
            "DATATRUST_TWILIO_WEBHOOK_URL must be set with DATATRUST_TWILIO_AUTH_TOKEN: the exact address "
            "Twilio is given for incoming texts, such as https://trust.example/sms/twilio"
        )
    key, created = master_key(settings)
    vault = Vault(key, FileKeyring(settings.keyring_path, key))
    try:
        catalogue = load_catalogue(settings.catalogue_path)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConfigurationError(f"cannot read the catalogue {settings.catalogue_path}: {error}") from None
    try:
        credentials = Credentials(vault.derived_key("sign-in client digests"), password_hasher)
        trust = Trust(
            settings.database_url,
            vault,
            catalogue,
            clock,
            credentials,
            panel_draw_seconds=settings.panel_draw_seconds,
            key_rotation_period=timedelta(days=settings.key_rotation_days),
        )
        views = TrustViews(trust.engine, vault)
        trust.attach(projector=views.projector, access_rules=views)
        trust.create_schema()
        views.create_schema()
    except Exception as error:  # noqa: BLE001 - any failure to open the store is one clear line
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ConfigurationError(f"cannot open the store named by DATATRUST_DATABASE_URL: {first_line}") from None
    try:
        with writing():  # it reads, then may write: on SQLite it holds the write lock from the start
            vault.check_store(trust.engine, clock())
    except TrustError as refusal:  # the wrong master key, or a keyring without this store's versions
        if created and isinstance(refusal, WrongMasterKey):
            settings.master_key_file.unlink()  # never leave a wrong key lying next to the store
        trust.close()
        raise
    if catch_up_now:
        if views.outdated():
            rebuild(trust, views.projector)
        catch_up(trust, views.projector)
    return Services(trust, views, catalogue, clock, settings)


def settle_heap() -> None:
    """In a process that runs on (a web worker, the scheduler, the chat bot), once it is wired: keep
    everything built so far (modules, the services, the catalogue) out of the garbage collector's scans.
    It lives as long as the process; left in sight, each full collection walks it all again (about
    220,000 objects), and a collection on a command's thread does so holding the store's writer lock:
    120-130 ms a collection, against 1-2 ms once frozen (docs/performance.md, benchmarks/rotation.py)."""
    gc.collect()
    gc.freeze()
