"""What a newcomer waits for: a fresh `make run`, from a clean clone to the home page.

Clones this repository (its committed state) into a temporary folder, runs `make run` there
on a free port, and times it until the home page answers 200; then stops the server and
removes the folder. The package caches are left as they are: run it twice for the figure with
a warm cache (the first run fills it).

    python bench/bench_make_run.py [--runs 2]
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def one_run() -> float:
    """Give the seconds from `git clone` to the first 200 from the home page."""
    folder = Path(tempfile.mkdtemp(prefix="irc-make-run-"))
    port = free_port()
    log = open(folder.parent / f"{folder.name}.log", "w")  # noqa: SIM115 (kept for the server)
    started = time.monotonic()
    server = None
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
        env.pop("VIRTUAL_ENV", None)
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it stops runserver
        )
        url = f"http://127.0.0.1:{port}/"
        while not answers(url):
            if server.poll() is not None:
                raise SystemExit(f"make run stopped (exit {server.returncode}): see {log.name}")
            if time.monotonic() - started > LIMIT_SECONDS:
                raise SystemExit(f"no answer from {url} after {LIMIT_SECONDS} s: see {log.name}")
            time.sleep(0.2)
        return time.monotonic() - started
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2, help="fresh clones to time (default 2)")
    runs = parser.parse_args().runs
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    times = []
    for number in range(1, runs + 1):
        seconds = one_run()
        times.append(seconds)
        print(f"run {number}: fresh `make run` answered the home page after {seconds:.1f} s")
    print(f"best {min(times):.1f} s, last {times[-1]:.1f} s (target: at most 45 s)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
