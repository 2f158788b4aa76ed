"""``lisite serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

The file watcher only sets a flag. One loop waits for changes to settle,
rebuilds and bumps a version number; pages long-poll that number and reload
when it changes. A failed build is reported and the last good site stays
served. The output goes to a temporary folder outside every watched folder,
so a build never triggers another.
"""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import threading
import time
import webbrowser
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlparse

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from lisite.build import Session, build
from lisite.config import load_config
from lisite.errors import LisiteError

RELOAD_PATH = "/__lisite/reload.js"
VERSION_PATH = "/__lisite/version"
SETTLE = 0.05  # seconds without new events before a rebuild starts
RELOAD_JS = """(function () {
  var version = null;
  function poll() {
    fetch("%s" + (version === null ? "" : "?since=" + version), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (version !== null && d.version !== version) { location.reload(); return; }
        version = d.version; poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""" % VERSION_PATH


class State:
    """The current site version; waiters are woken when it changes."""

    def __init__(self) -> None:
        self.version = 0
        self.changed = threading.Condition()
        self.dirty = threading.Event()
        self.stopped = threading.Event()

    def bump(self) -> None:
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait_newer(self, since: int, timeout: float = 25.0) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != since or self.stopped.is_set(), timeout=timeout)
            return self.version


class Watcher(FileSystemEventHandler):
    """Marks the site dirty on any change outside ignored folders."""

    def __init__(self, state: State, ignored: list[Path]) -> None:
        self.state = state
        self.ignored = [p.resolve() for p in ignored]

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw).resolve()
            if any(path == p or path.is_relative_to(p) for p in self.ignored):
                continue
            if path.name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path.parts:
                continue
            self.state.dirty.set()
            return


def make_handler(root: Path, state: State) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == RELOAD_PATH:
                return self._send(RELOAD_JS.encode(), "text/javascript")
            if url.path == VERSION_PATH:
                since = parse_qs(url.query).get("since", [None])[0]
                version = state.version if since is None else state.wait_newer(int(since))
                return self._send(json.dumps({"version": version}).encode(), "application/json")
            return super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    return functools.partial(Handler, directory=str(root))


def watched_folders(config) -> list[Path]:
    """The folders whose changes trigger a rebuild: config, content, data, plugins, theme."""
    folders = {config.site_dir}
    folders.add(config.content_dir)
    folders.update((config.site_dir / p).resolve() for p in config.plugin_paths)
    folders.add((config.site_dir / "theme").resolve())
    for source in config.sources.values():
        if source.path:
            folders.add((config.site_dir / source.path).resolve().parent)
    return sorted(f for f in folders if f.is_dir())


class Server:
    """A running ``lisite serve``: start it, rebuild on change, stop it."""

    def __init__(self, site_dir: Path | str, port: int = 8000, echo: Callable[[str], None] = print) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.echo = echo
        self.state = State()
        self.session = Session()
        self.tmp = Path(tempfile.mkdtemp(prefix="lisite-serve-"))
        self.output = self.tmp / "_site"
        self.output.mkdir()
        self.config = load_config(self.site_dir)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), make_handler(self.output, self.state))
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.observer = Observer()
        self.last_error = ""
        self.building = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def rebuild(self) -> bool:
        """Build once; on failure keep the last good site and remember the error."""
        with self.building:
            started = time.perf_counter()
            try:
                build(self.site_dir, output_dir=self.output, session=self.session, reload_script=RELOAD_PATH)
            except Exception as exc:  # any failure: report it and keep serving the last good site
                message = exc.format_message() if isinstance(exc, LisiteError) else f"{type(exc).__name__}: {exc}"
                self.last_error = message
                self.echo(f"Bygningen fejlede; det sidste gode site vises stadig.\n{message}")
                return False
            self.last_error = ""
            self.state.bump()
            self.echo(f"Bygget på {time.perf_counter() - started:.2f} s (version {self.state.version})")
            return True

    def start(self) -> None:
        self.rebuild()
        ignored = [self.output, self.tmp, self.config.output_dir, self.site_dir / ".git"]
        handler = Watcher(self.state, ignored)
        for folder in watched_folders(self.config):
            self.observer.schedule(handler, str(folder), recursive=folder != self.site_dir)
        self.observer.start()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        while not self.state.stopped.is_set():
            if not self.state.dirty.wait(timeout=0.5):
                continue
            while self.state.dirty.is_set():  # let a burst of events settle
                self.state.dirty.clear()
                time.sleep(SETTLE)
            self.rebuild()

    def stop(self) -> None:
        self.state.stopped.set()
        with self.state.changed:
            self.state.changed.notify_all()
        self.observer.stop()
        self.observer.join(timeout=5)
        self.httpd.shutdown()
        self.httpd.server_close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def serve(site_dir: Path | str, port: int = 8000, open_browser: bool = False, echo: Callable[[str], None] = print) -> None:
    server = Server(site_dir, port, echo)
    server.start()
    echo(f"Serverer {server.url} (stop med Ctrl+C)")
    if open_browser:
        webbrowser.open(server.url)
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
