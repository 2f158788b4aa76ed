"""``python -c script args`` for the tests that need a process of their own, without starting an interpreter each time.

A test about lisite's forked workers runs its build in a new process: a test process may have started a chart
renderer (the PDF tests), after which lisite never forks (lisite.workers). A new interpreter spends about half a
second importing lisite before it does anything (0.55 s of a tiny build's 0.8 s; test_workers.py started 46 of them).
Here each run is forked from a server process that has imported ``lisite.build`` and done nothing else
(multiprocessing's forkserver, started once per test process from a new interpreter): as clean as a new interpreter,
with lisite already imported. The run gets exactly the environment it is given, its own ``__main__``, ``sys.argv``
and file descriptors 1 and 2 (so what lisite's own forked workers print is captured too), and the exit handlers run at
its end, as at an interpreter's. It imports lisite from where this process does (the server's ``sys.path`` is this
process's): ``PYTHONPATH`` in ``env`` is passed on to it and to what it starts, but moves nothing already imported.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import subprocess
import sys
import tempfile
from pathlib import Path


@functools.cache
def _server() -> multiprocessing.context.BaseContext:
    """The forkserver context, made when first used."""
    server = multiprocessing.get_context("forkserver")
    server.set_forkserver_preload(["lisite.build"])
    return server


def python_c(script: str, *args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    """As ``subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True)``, which it
    is where the system has no forkserver (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=timeout,
                              check=False)
    with tempfile.TemporaryDirectory(prefix="lisite-python-c-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        process = _server().Process(target=_run, args=(script, list(args), dict(env), str(out), str(err)))
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["python", "-c", script, *args], timeout)
        return subprocess.CompletedProcess(["python", "-c", script, *args], process.exitcode,
                                           out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8"))


def _run(script: str, args: list[str], env: dict[str, str], out: str, err: str) -> None:
    import atexit
    import traceback
    import types

    for fd, path in ((1, out), (2, err)):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["-c", *args]
    main = types.ModuleType("__main__")
    sys.modules["__main__"] = main
    code = 0
    try:
        exec(compile(script, "<string>", "exec"), main.__dict__)  # noqa: S102 (the test's own script, as python -c runs it)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        if not isinstance(exit_.code, int | None):
            print(exit_.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 (as the interpreter: the traceback on stderr, exit code 1)
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(code)
