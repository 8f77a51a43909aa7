"""Browser tests: the real demo, served by gunicorn, driven by Debian's Chromium via Playwright.

On PostgreSQL (DATABASE_URL set) the demo gets a fresh database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pgtemp import fresh_database

CHROMIUM = os.environ.get("POWERSHIFT_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() and AXE.exists():
        return
    if os.environ.get("POWERSHIFT_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"browser tests need {CHROMIUM} and {AXE} (install chromium, run npm ci)")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} or axe-core not installed")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = {**os.environ, "POWERSHIFT_DATA_DIR": str(tmp_path_factory.mktemp("demo"))}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield env
        return
    with fresh_database(url, "powershift_browser") as database_url:
        yield {**env, "DATABASE_URL": database_url}


@pytest.fixture(scope="session")
def demo_server(demo_env: dict[str, str]) -> Iterator[str]:
    """Build the demo with the real command, then serve it as `powershift demo` does."""
    subprocess.run([sys.executable, "-m", "powershift.cli", "demo", "--no-serve"], env=demo_env,
                   check=True, capture_output=True, timeout=600)
    port = _free_port()
    worker = subprocess.Popen([sys.executable, "-m", "powershift.cli", "worker", "--interval", "0.5"],
                              env=demo_env)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "powershift.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"], env=demo_env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)  # noqa: S310 (our own loopback server)
            break
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                worker.kill()
                raise RuntimeError("the demo server did not start") from None
            time.sleep(0.3)
    yield url
    for process in (server, worker):
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=shutil.which(CHROMIUM) or CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()
