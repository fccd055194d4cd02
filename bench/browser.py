"""What the browser benchmarks share: a free loopback port for the app, and Debian's Chromium, headless."""

from __future__ import annotations

import shutil
import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch_chromium(playwright):
    """Headless Chromium from the system (`make test` installs Debian's), as the browser tests drive it."""
    return playwright.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
