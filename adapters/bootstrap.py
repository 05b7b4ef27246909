"""The one composition root: settings -> services (application, views, clock, vault)."""

import os
from dataclasses import dataclass
from pathlib import Path

from adapters.settings import Settings
from domain.catalogue import Catalogue, load_catalogue
from domain.clock import Clock, system_clock
from domain.sealing import Vault, decode_master_key, new_master_key
from domain.trust import Trust
from projections.rebuild import catch_up
from projections.views import TrustViews


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


def master_key(settings: Settings) -> bytes:
    """From DATATRUST_MASTER_KEY, else a key file created once with mode 0600."""
    if settings.master_key:
        return decode_master_key(settings.master_key)
    path = settings.master_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_master_key() + "\n")
    return decode_master_key(path.read_text())


def bootstrap(settings: Settings | None = None, clock: Clock = system_clock, catch_up_now: bool = True) -> Services:
    settings = settings or Settings.from_environment()
    if settings.sqlite_path is not None:
        Path(settings.sqlite_path).parent.mkdir(parents=True, exist_ok=True)
    vault = Vault(master_key(settings))
    catalogue = load_catalogue(settings.catalogue_path)
    trust = Trust(settings.database_url, vault, catalogue, clock)
    views = TrustViews(trust.engine, vault)
    trust.attach(projector=views.projector, access_rules=views)
    trust.create_schema()
    views.create_schema()
    if catch_up_now:
        catch_up(trust, views.projector)
    return Services(trust, views, catalogue, clock, settings)
