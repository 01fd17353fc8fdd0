"""Test helper: run `wbpulse …` as a child process, wait for its HTTP endpoints, stop it with a signal."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).with_name("wbpulse")
KEEP_FROM_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_env(**values: str) -> dict[str, str]:
    """Only what a shell would pass, plus `values`: nothing of the test run's own configuration leaks in."""
    env = {key: os.environ[key] for key in KEEP_FROM_ENV if key in os.environ}
    return {**env, **values}


def command(*args: str) -> list[str]:
    return [str(BIN), *args] if BIN.exists() else [sys.executable, "-m", "bootstrap.cli", *args]


def run_to_end(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own entry point
        command(*args), env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
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
