"""A real headless Chromium for the browser tests, driven by Playwright (auto-waiting locators, downloads, dialogs),
using the machine's own Chromium (`/usr/bin/chromium`, installed by .ci/run): Playwright never downloads a browser
here. Screenshots go to ``artefacts()`` (gitignored) so a run leaves pictures of every page it checked."""
from __future__ import annotations

import os
import shutil
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

ROOT = Path(__file__).resolve().parent.parent.parent
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def playwright_ready() -> bool:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return False
    return chromium_path() is not None


def artefacts() -> Path:
    """Where screenshots are kept: $GRIDBOT_ARTEFACTS, else test-artefacts/screenshots in the work tree."""
    path = Path(os.environ.get("GRIDBOT_ARTEFACTS", ROOT / "test-artefacts" / "screenshots"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@asynccontextmanager
async def chromium() -> AsyncIterator[object]:
    """A headless Chromium (playwright Browser) for one test."""
    from playwright.async_api import async_playwright

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=chromium_path(), headless=True,
                                               args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            await browser.close()


async def new_page(browser, base_url: str, viewport: dict | None = None):  # noqa: ANN001, ANN201
    """A fresh context (own cookies) and page; dialogs (confirm()) are accepted as an officer would."""
    context = await browser.new_context(base_url=base_url, viewport=viewport or DESKTOP, accept_downloads=True,
                                        locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(10_000)
    page = await context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


async def snap(page, name: str) -> Path:  # noqa: ANN001
    path = artefacts() / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path
