"""Debian's Chromium for Playwright (the browser tests and `make screenshots`); never `playwright install`."""

from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    f"{CHROMIUM} is missing: the browser tests and screenshots drive Debian's Chromium. "
    "Install it with `apt-get install -y chromium chromium-driver` (.ci/run does this)."
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless Chromium from /usr/bin/chromium; raises RuntimeError when it is not installed."""
    if not CHROMIUM.exists():
        raise RuntimeError(MISSING_CHROMIUM)
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
