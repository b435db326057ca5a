"""A throw-away PostgreSQL server for one benchmark run: initdb in a temp dir, random port.

A copy of tests/support/postgres.py (benchmarks never import tests), with room for extra
server settings. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from glob import glob
from pathlib import Path


def _bindir() -> Path:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL server binaries not found: run scripts/services")
    return Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str]) -> None:
    subprocess.run(_as_server_user(cmd), check=True, capture_output=True, text=True)


@contextlib.contextmanager
def postgres_server(settings: dict[str, str] | None = None) -> Iterator[str]:
    """Yields a `postgresql+asyncpg://` URL of a fresh server with a `pivotal` superuser."""
    bindir = _bindir()
    root = Path(tempfile.mkdtemp(prefix="pivotal-bench-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o755)
    port = _free_port()
    # fsync off: the data is thrown away; it changes load time, not query time.
    server = {"listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off"}
    server |= {"full_page_writes": "off", **(settings or {})}
    options = f"-p {port} -k {root} " + " ".join(f"-c {k}={v}" for k, v in server.items())
    try:
        _run(
            [str(bindir / "initdb"), "-D", str(data), "-U", "pivotal", "-A", "trust", "-E", "UTF8"]
        )
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-w"]
        _run([*pg_ctl, "-l", str(root / "log"), "start"])
        yield f"postgresql+asyncpg://pivotal@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
