"""Load a page in headless Chromium and report its console errors and images.

Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (JSON messages ending
in NUL on file descriptors 3 and 4 of the browser), so no websocket package is needed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)
# Every <img>: does it have a source, did it load, how big is it decoded.
IMAGES_JS = (
    "JSON.stringify(Array.from(document.images).map(i => ({alt: i.alt, src: i.src.slice(0, 30), "
    "complete: i.complete, width: i.naturalWidth, height: i.naturalHeight})))"
)


class ChromiumError(RuntimeError):
    pass


@dataclass
class PageReport:
    errors: list[str]  # console errors, uncaught exceptions, failed loads
    images: list[dict]
    title: str


def chromium_binary() -> str | None:
    return next((b for b in (shutil.which("chromium"), shutil.which("chromium-browser")) if b), None)


class _Pipe:
    def __init__(self, binary: str, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the pipe ends where Chromium expects them
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            pass_fds=(3, 4),
            close_fds=True,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30.0) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        reply = self._read_until(lambda m: m.get("id") == self._next_id, timeout)
        if "error" in reply:
            raise ChromiumError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, timeout: float = 30.0) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        return self._read_until(lambda m: m.get("method") == method, timeout)

    def _read_until(self, wanted, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                if wanted(message):
                    return message
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise ChromiumError(f"no answer from Chromium within {timeout:.0f} s (exit code {self.proc.poll()})")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 16)
                if not chunk:
                    raise ChromiumError("Chromium closed the DevTools pipe")
                self._buffer += chunk

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (ChromiumError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def load_page(binary: str, page: Path, profile: Path, timeout: float = 60.0) -> PageReport:
    """Open ``page`` (a local file), wait for its load event, collect errors and images."""
    pipe = _Pipe(binary, profile)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"}, timeout=timeout)["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.events.clear()
        pipe.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        pipe.wait_event("Page.loadEventFired", timeout)
        images = json.loads(
            pipe.send("Runtime.evaluate", {"expression": IMAGES_JS, "returnByValue": True}, session=session)["result"][
                "value"
            ]
        )
        title = pipe.send("Runtime.evaluate", {"expression": "document.title", "returnByValue": True}, session=session)[
            "result"
        ]["value"]
        return PageReport(_errors(pipe.events), images, title)
    finally:
        pipe.close()


def _errors(events: list[dict]) -> list[str]:
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            found.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(f"exception: {details.get('text', '')} {details.get('exception', {}).get('description', '')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}".strip())
    return found
