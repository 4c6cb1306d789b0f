"""A real headless Chromium driven over the DevTools protocol (aiohttp websockets; no extra dependency)."""
from __future__ import annotations

import asyncio
import itertools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


class Browser:
    """One page of a fresh Chromium profile. Use as ``async with Browser(tmp_path) as page``."""

    def __init__(self, profile_dir: Path, start_timeout: float = 30.0) -> None:
        self.profile_dir, self.start_timeout = profile_dir, start_timeout
        self._ids = itertools.count(1)

    async def __aenter__(self) -> "Browser":
        exe = chromium_path()
        if exe is None:
            raise RuntimeError("no chromium on PATH")
        self.proc = await asyncio.create_subprocess_exec(
            exe, *FLAGS, f"--user-data-dir={self.profile_dir}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        port = await asyncio.wait_for(self._devtools_port(), self.start_timeout)
        self.http = aiohttp.ClientSession()
        async with self.http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            pages = [t for t in await resp.json() if t["type"] == "page"]
        self.ws = await self.http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()
        await self.http.close()
        self.proc.kill()
        await self.proc.wait()

    async def _devtools_port(self) -> int:
        while True:
            line = await self.proc.stderr.readline()
            if not line:
                raise RuntimeError("chromium exited before DevTools started")
            found = re.search(rb"DevTools listening on ws://127\.0\.0\.1:(\d+)/", line)
            if found:
                return int(found.group(1))

    async def call(self, method: str, **params: Any) -> dict:
        call_id = next(self._ids)
        await self.ws.send_str(json.dumps({"id": call_id, "method": method, "params": params}))
        async for msg in self.ws:
            data = json.loads(msg.data)
            if data.get("id") == call_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                return data["result"]
        raise RuntimeError("DevTools connection closed")

    async def goto(self, url: str) -> None:
        await self.call("Page.navigate", url=url)

    async def js(self, expression: str) -> Any:
        """Evaluate an expression (promises are awaited) and return its JSON value."""
        result = await self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def until(self, condition: str, timeout_ms: int = 10000) -> None:
        """Wait inside the page until a JS condition holds (the browser polls its own DOM, not the test)."""
        ok = await self.js(f"""new Promise((resolve) => {{
            const t0 = Date.now();
            const check = () => {{ let v = false; try {{ v = ({condition}); }} catch (e) {{}}
              if (v) resolve(true); else if (Date.now() - t0 > {timeout_ms}) resolve(false);
              else requestAnimationFrame(check); }};
            check(); }})""")
        if not ok:
            raise AssertionError(f"page never satisfied: {condition}")

    async def screenshot(self, path: Path) -> None:
        import base64
        data = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(data["data"]))
