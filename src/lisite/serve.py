"""``lisite serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

The file watcher only notes changes. One loop waits for a change to settle
(until the file being saved is closed again, see :mod:`lisite.watch`),
rebuilds and bumps a version number; pages long-poll that number and reload
when it changes. The rebuilds share one live :class:`lisite.build.Session`:
an edit makes again only what was made from the edited file (an edited text
only the audiences and pages that read it, an edited data file only the
indicators that read it and their figures; see :mod:`lisite.live`), and the
result is what a fresh ``lisite build`` of the edited site writes. A failed build is reported and the last good site stays
served. When the site's output folder holds what a build would write now (``lisite build`` finds it unchanged, see
:mod:`lisite.unchanged`), it is served at once, with the reload script added to its pages, while the session's first
build is made; the browser reloads onto that build when it is done. The output goes to a temporary folder outside every watched folder,
so a build never triggers another.

Only the inputs lisite reads are watched (:mod:`lisite.watch`); a log file or
anything else written beside them never starts a build. The server answers only requests addressed to ``127.0.0.1``,
``localhost`` or ``[::1]`` (DNS rebinding), never lists a folder, answers a
malformed request with 400 and no traceback, and removes its temporary folder
(which holds every audience's site) on normal exit, SIGINT and SIGTERM.
"""

from __future__ import annotations

import gc
import io
import json
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import webbrowser
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, unquote, urlparse

from watchdog.observers import Observer

from lisite import unchanged
from lisite.build import Session, build
from lisite.config import load_config
from lisite.errors import LisiteError
from lisite.fmt import number
from lisite.i18n import Translator
from lisite.watch import Changes, Inputs, Watcher, closing_reported, site_inputs, watched_folders  # noqa: F401 (the last two for callers)

RELOAD_PATH = "/__lisite/reload.js"
VERSION_PATH = "/__lisite/version"
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
RELOAD_TAG = f'<script src="{RELOAD_PATH}"></script>'.encode()


def with_reload(page: bytes) -> bytes:
    """A page of a site built without the reload script, with it, where a page built with it has it: before ``</body>``."""
    end = page.rfind(b"</body>")
    return page[:end] + RELOAD_TAG + page[end:] if end >= 0 else page + RELOAD_TAG


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


HOST_PATTERN = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(:[0-9]{1,5})?")


def allowed_host(header: str | None) -> bool:
    """``127.0.0.1``, ``localhost`` or ``[::1]``, with or without a port: nothing a DNS name can rebind."""
    return bool(header) and HOST_PATTERN.fullmatch(header.strip().lower()) is not None


def bad_path(path: str) -> bool:
    """A request path lisite never serves: NUL or control characters, backslashes, ``..`` segments."""
    decoded = unquote(path)
    if any(ord(c) < 32 or c == "\\" for c in decoded):
        return True
    return ".." in decoded.split("/") or ".." in path.split("/")


class QuietServer(ThreadingHTTPServer):
    """A request that fails is answered or dropped, never printed as a traceback."""

    daemon_threads = True

    t: Translator | None = None  # the site's language, set by Server

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            print((self.t or Translator("da"))("serve.request_failed", kind=type(exc).__name__), file=sys.stderr)


def make_handler(root: Callable[[], tuple[Path, bool]], state: State) -> Callable[..., SimpleHTTPRequestHandler]:
    """The request handler, serving the folder ``root()`` names at each request, with whether its pages were built
    without the reload script (it is then added to each page as it is sent)."""
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, reload_added: bool = False, **kwargs) -> None:
            self.reload_added = reload_added  # set first: the request is answered in SimpleHTTPRequestHandler.__init__
            super().__init__(*args, **kwargs)

        def log_message(self, format: str, *args) -> None:  # quiet
            pass

        def _refuse(self, status: HTTPStatus) -> None:
            """A status and nothing else: no page, no listing, no error text."""
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()

        def _checked(self) -> bool:
            if not allowed_host(self.headers.get("Host")):
                self._refuse(HTTPStatus.MISDIRECTED_REQUEST)
                return False
            if bad_path(urlparse(self.path).path) or not self.path.startswith("/"):
                self._refuse(HTTPStatus.BAD_REQUEST)
                return False
            return True

        def do_GET(self) -> None:
            if not self._checked():
                return
            url = urlparse(self.path)
            if url.path == RELOAD_PATH:
                return self._send(RELOAD_JS.encode(), "text/javascript")
            if url.path == VERSION_PATH:
                since = parse_qs(url.query, keep_blank_values=True).get("since", [None])[0]
                if since is None:
                    version = state.version
                else:
                    try:
                        number = int(since)
                    except ValueError:
                        return self._refuse(HTTPStatus.BAD_REQUEST)
                    version = state.wait_newer(number)
                return self._send(json.dumps({"version": version}).encode(), "application/json")
            return super().do_GET()

        def do_HEAD(self) -> None:
            if self._checked():
                super().do_HEAD()

        def send_head(self):
            try:
                path = Path(self.translate_path(self.path))
                folder = path.is_dir()
            except (ValueError, OSError):
                self._refuse(HTTPStatus.BAD_REQUEST)
                return None
            if folder and not (path / "index.html").is_file():
                self._refuse(HTTPStatus.NOT_FOUND)
                return None
            page = path / "index.html" if folder else path
            if self.reload_added and page.suffix == ".html" and page.is_file() and (not folder or self.path.endswith("/")):
                try:
                    body = with_reload(page.read_bytes())
                except OSError:
                    return super().send_head()
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
            return super().send_head()

        def list_directory(self, path):  # never: a folder without index.html is not found
            self._refuse(HTTPStatus.NOT_FOUND)
            return None

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

    def handler(*args, **kwargs) -> Handler:  # the folder as it is at this request, and how its pages were built
        folder, without = root()
        return Handler(*args, directory=str(folder), reload_added=without, **kwargs)

    return handler


class Server:
    """A running ``lisite serve``: start it, rebuild on change, stop it."""

    def __init__(self, site_dir: Path | str, port: int = 8000, echo: Callable[[str], None] = print) -> None:
        self.site_dir = Path(site_dir).resolve()
        self.echo = echo
        self.state = State()
        self.session = Session(live=True)  # its folder is ours: changed files are written in place
        self.config = load_config(self.site_dir)
        self.t = Translator(self.config.language)  # what it prints, in the site's language
        self.tmp = Path(tempfile.mkdtemp(prefix="lisite-serve-"))
        try:
            self.output = self.tmp / "_site"
            self.output.mkdir()
            self.root = self.output  # what is served: the session's builds, or the last build's site until the first is made
            self.httpd = QuietServer(("127.0.0.1", port), make_handler(self.serving_from, self.state))
            self.httpd.t = self.t
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        self.port = self.httpd.server_address[1]
        self.observer = Observer()
        self.changes = Changes(self.state.dirty, closing_reported(self.observer))
        self.watcher: Watcher | None = None
        self.inputs: Inputs | None = None
        self.watching: set[tuple[Path, bool]] = set()
        self.last_error = ""
        self.builds = 0  # builds started, failed ones included
        self.building = threading.Lock()
        self.serving = False

    def serving_from(self) -> tuple[Path, bool]:
        """The folder served, and whether its pages were built without the reload script (the last build's site), read
        once for a request: the switch to the session's own build falls before or after it, never within."""
        root = self.root
        return root, root != self.output

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def rebuild(self) -> bool:
        """Build once; on failure keep the last good site and remember the error."""
        with self.building:
            self.builds += 1
            started = time.perf_counter()
            told = []

            def written() -> None:  # the browser is told as soon as the files are in place, and the last error is gone
                told.append(time.perf_counter())
                self.last_error = ""
                self._show_session()

            # what the session keeps (datasets, caches, modules: most objects of the process) is left out of the garbage
            # collections during the build, which then look at what this build makes; it is looked at again after
            gc.freeze()
            try:
                build(self.site_dir, output_dir=self.output, session=self.session, reload_script=RELOAD_PATH, written=written)
            except Exception as exc:  # any failure: report it and keep serving the last good site
                message = exc.format_message() if isinstance(exc, LisiteError) else f"{type(exc).__name__}: {exc}"
                self.last_error = message
                self.echo(self.t("serve.failed", message=message))
                return False
            finally:
                gc.unfreeze()
            self.last_error = ""
            if not told:
                self._show_session()
            seconds = number((told or [time.perf_counter()])[0] - started, 2, self.t.lang)
            self.echo(self.t("serve.built", seconds=seconds, version=self.state.version))
            return True

    def _show_session(self) -> None:
        """The session's own build is served from now on (not the last build's site it may have started with), and the
        browser is told."""
        self.root = self.output
        self.state.bump()

    def start(self) -> None:
        last = unchanged.kept(self.site_dir, None, False, None)  # never raises: anything odd means a build first
        if last is None:
            self.echo(self.t("serve.building"))  # a few seconds before the address is printed: say what is going on
            self.rebuild()
        else:  # what a build would write now: served at once, while the session's own first build is made
            self.root = last.output_dir
            self.echo(self.t("serve.last_build", folder=last.output_dir.name))
        ignored = [self.output, self.tmp, self.config.output_dir, self.site_dir / ".git"]
        self.watcher = Watcher(self.changes, ignored, site_inputs(self.config))
        self._watch()
        self.observer.start()
        self.serving = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        if last is not None:
            threading.Thread(target=self.rebuild, daemon=True).start()  # an edit meanwhile is built after it (self.building)
        threading.Thread(target=self._loop, daemon=True).start()

    def _watch(self) -> None:
        """Watch the inputs of the current config; again before each rebuild, as lisite.toml may move them."""
        try:
            self.config = load_config(self.site_dir)
            if self.config.language != self.t.lang:  # what it prints follows the site's language
                self.t = self.httpd.t = Translator(self.config.language)
        except Exception:  # a broken lisite.toml: the build reports it; keep watching what we had
            pass
        inputs = site_inputs(self.config)
        watches = inputs.watches()  # changes too when an input folder is created, e.g. theme/
        if inputs == self.inputs and watches == self.watching:
            return
        assert self.watcher is not None
        self.observer.unschedule_all()
        self.watcher.inputs = inputs
        self.inputs, self.watching = inputs, watches
        for folder, recursive in sorted(watches, key=str):
            self.observer.schedule(self.watcher, str(folder), recursive=recursive)

    def _loop(self) -> None:
        while not self.state.stopped.is_set():
            if not self.state.dirty.wait(timeout=0.5):
                continue
            self.changes.settle(self.state.stopped)  # until the save is done (see lisite.watch)
            if self.state.stopped.is_set():
                return
            self._watch()
            self.rebuild()

    def stop(self) -> None:
        self.state.stopped.set()
        self.state.dirty.set()  # wakes the loop, also while it waits for a save to end
        try:
            with self.state.changed:
                self.state.changed.notify_all()
            if self.observer.is_alive():
                self.observer.stop()
                self.observer.join(timeout=5)
            if self.serving:
                self.httpd.shutdown()
            self.httpd.server_close()
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


class _Stopped(BaseException):
    """Raised in the main thread by SIGTERM or SIGINT (not an Exception: a build must not catch it)."""


def serve(site_dir: Path | str, port: int = 8000, open_browser: bool = False, echo: Callable[[str], None] = print) -> None:
    """Serve until Ctrl+C, SIGTERM or SIGINT; the temporary folder goes with the server."""

    def stop_signal(signum, frame) -> None:
        raise _Stopped(signum)

    main_thread = threading.current_thread() is threading.main_thread()
    previous = {}
    if main_thread:
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, stop_signal)
    server = None
    try:
        server = Server(site_dir, port, echo)
        server.start()
        echo(server.t("serve.serving", url=server.url))
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(0.5)
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        if main_thread:
            for signum in previous:  # a second signal must not cut the cleanup short
                signal.signal(signum, signal.SIG_IGN)
        try:
            if server is not None:
                server.stop()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
