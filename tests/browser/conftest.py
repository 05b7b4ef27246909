"""Browser tests: Debian's Chromium, driven by Playwright, through the real web
server (`datatrust serve`, gunicorn) on a fresh store in a temporary folder.

Nothing is downloaded: the browser is Debian's package (/usr/bin/chromium).
Without it these tests are skipped, unless DATATRUST_REQUIRE_BROWSER=1 (as in
CI), when they fail instead. Screenshots go to test-artifacts/browser/."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser import steps
from tests.support import CHILD_START_SECONDS

CHROMIUM = Path(os.environ.get("DATATRUST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRED = os.environ.get("DATATRUST_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
WELCOME = re.compile(r"(http://\S+/welcome/\S+)")
LINK_FILE = re.compile(r"The one-time sign-in link for \S+ is in (\S+\.txt)")  # stdout here is not a terminal
STARTUP_SECONDS = CHILD_START_SECONDS
TIMEOUT_MS = 10_000


def _unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"{reason} (DATATRUST_REQUIRE_BROWSER=1, so the browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)  # lets `open_page` screenshot a failed test
    return report


# The server


@dataclass
class Server:
    base_url: str
    welcome_url: str  # the first trustee's one-time link, printed by `datatrust serve`
    process: subprocess.Popen
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _datatrust() -> list[str]:
    script = Path(sys.executable).with_name("datatrust")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from adapters.cli.main import cli; cli()"]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)  # gunicorn quick shutdown: the arbiter and its worker (own group)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def start_server(folder: Path) -> Server:
    """`datatrust serve` on a new store in ``folder``, once it answers."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {name: value for name, value in os.environ.items() if not name.startswith("DATATRUST_")}
    env.update(DATATRUST_VAR=str(folder / "var"), PYTHONUNBUFFERED="1")
    log = folder / "server.log"
    command = [*_datatrust(), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + STARTUP_SECONDS
    welcome = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"`datatrust serve` stopped (exit {process.returncode}):\n{log.read_text()}")
        in_file = LINK_FILE.search(log.read_text(errors="replace"))
        found = WELCOME.search(Path(in_file.group(1)).read_text()) if in_file else None
        welcome = found.group(1) if found else None
        if welcome:
            try:
                with urllib.request.urlopen(base_url + "/sign-in", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return Server(base_url, welcome, process, log)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"`datatrust serve` did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="package")
def start_servers(tmp_path_factory) -> Iterator[Callable[[], Server]]:
    """start_servers() -> a new server on a new, empty store; all stopped at the end."""
    started: list[Server] = []

    def start() -> Server:
        server = start_server(tmp_path_factory.mktemp("browser-server"))
        started.append(server)
        return server

    yield start
    for server in started:
        _stop(server.process)


# The browser


@pytest.fixture(scope="package")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium chromium-driver)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_context(browser, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def open_page(browser, request):  # type: ignore[no-untyped-def]
    """open_page(storage_state=..., viewport=...) -> a page in a fresh browser context
    (its own cookies: one person). A failed test leaves a screenshot of each page."""
    contexts = []

    def open_one(**options):  # type: ignore[no-untyped-def]
        context = new_context(browser, **options)
        contexts.append(context)
        return context.new_page()

    yield open_one
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts, start=1):
        if failed:
            folder = ARTIFACTS / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                name = re.sub(r"[^\w.-]+", "_", request.node.name)
                page.screenshot(path=folder / f"{name}-{number}.png", full_page=True)
        context.close()


@pytest.fixture
def screenshots(request) -> Callable:
    """shot(page, "01-step") -> a full-page screenshot in test-artifacts/browser/<test>/."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)

    def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = folder / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return shot


# A trust with people and a member in it, for the tests that look at pages


@dataclass
class Seeded:
    server: Server
    trustee: dict  # storage states: signed-in cookies of each person
    caseworker: dict
    trustee_username: str
    member_url: str
    member_code: str
    organisation_url: str

    def url(self, path: str) -> str:
        return self.server.url(path)


@pytest.fixture(scope="package")
def seeded(browser, start_servers) -> Seeded:
    """One server set up through its own pages: the first trustee, two caseworkers,
    an approved social lender, and a confirmed member with an affordable-credit consent."""
    server = start_servers()
    people = []

    def person():  # type: ignore[no-untyped-def]
        context = new_context(browser)
        people.append(context)
        return context.new_page()

    try:
        trustee = person()
        steps.choose_password(trustee, server.welcome_url)
        cal_link = steps.open_account(trustee, "cal", ["Caseworker"])
        cass_link = steps.open_account(trustee, "cass", ["Caseworker"])
        organisation_url = steps.register_organisation(trustee, steps.LENDER, "Social lender")
        steps.approve_organisation(trustee, "DSA-1", steps.days_ago(0))
        cal = person()
        steps.choose_password(cal, cal_link)
        member_url, code = steps.register_member(cal, steps.MEMBER, signed_on=steps.days_ago(3))
        cass = person()
        steps.choose_password(cass, cass_link)
        steps.confirm_in_person(cass, steps.MEMBER)
        return Seeded(
            server=server,
            trustee=trustee.context.storage_state(),
            caseworker=cal.context.storage_state(),
            trustee_username=steps.FIRST_TRUSTEE,
            member_url=member_url,
            member_code=code,
            organisation_url=organisation_url,
        )
    finally:
        for context in people:
            context.close()
