"""Test helpers: run `wbpulse …` as a child process, wait for its HTTP endpoints, stop it with a signal;
the WB simulator as a child process too, and the embedded servers a DATA_DIR has running."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from bootstrap.net import free_port

BIN = Path(sys.executable).with_name("wbpulse")
KEEP_FROM_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")


def clean_env(**values: str) -> dict[str, str]:
    """Only what a shell would pass, plus `values`: nothing of the test run's own configuration leaks in."""
    env = {key: os.environ[key] for key in KEEP_FROM_ENV if key in os.environ}
    return {**env, **values}


def command(*args: str) -> list[str]:
    return [str(BIN), *args] if BIN.exists() else [sys.executable, "-m", "bootstrap.cli", *args]


def run_to_end(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `wbpulse *args` to its end with `stdin` as its input (empty by default, never the terminal)."""
    return subprocess.run(  # noqa: S603 - our own entry point
        command(*args),
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def get(url: str, timeout: float = 5) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback test URL
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class WbPulse:
    """A running `wbpulse` child with its stdout and stderr in files under `logs`."""

    def __init__(self, args: list[str], env: dict[str, str], logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        self.stdout_path, self.stderr_path = logs / "stdout", logs / "stderr"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.process = subprocess.Popen(command(*args), env=env, cwd=logs, stdout=out, stderr=err)  # noqa: S603

    def output(self) -> str:
        return self.stdout_path.read_text() + self.stderr_path.read_text()

    def wait_for(self, url: str, timeout: float = 60, status: int = 200) -> Any:
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"wbpulse exited with {self.process.returncode}:\n{self.output()}")
            try:
                code, body = get(url, timeout=2)
                if code == status:
                    return body
                last = (code, body)
            except (OSError, ValueError) as exc:
                last = exc
            time.sleep(0.2)
        raise AssertionError(
            f"{url} did not answer {status} within {timeout} s (last: {last})\n{self.output()}"
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def server_processes(data_dir: Path) -> list[psutil.Process]:
    """Live Postgres / redis-server processes of `data_dir` (found by cwd: Redis rewrites its title)."""
    found = []
    for process in psutil.process_iter(["cmdline", "cwd", "status", "name"]):
        info = process.info
        where = " ".join(info["cmdline"] or []) + " " + (info["cwd"] or "")
        if str(data_dir) in where and info["status"] != psutil.STATUS_ZOMBIE and "python" not in info["name"]:
            found.append(process)
    return found


class Simulator:
    """The WB simulator as a child process on a free port, its output in `log`."""

    def __init__(self, log: Path) -> None:
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}"
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own module
                [sys.executable, "-m", "simulator", "--port", str(port)], stdout=out, stderr=subprocess.STDOUT
            )
        for _ in range(150):
            try:
                get(f"{self.base_url}/__sim/sellers", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the simulator did not start:\n{log.read_text()}")

    def new_seller(self, **body: Any) -> dict[str, Any]:
        """A seller (`api_key`, `seller_id`) whose clock starts at our real now, so "the last
        INITIAL_SYNC_DAYS" means the same on both sides."""
        start = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        payload = json.dumps({"start": start, **body}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback test URL
            f"{self.base_url}/__sim/sellers", data=payload, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback test URL
            return dict(json.loads(response.read()))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
