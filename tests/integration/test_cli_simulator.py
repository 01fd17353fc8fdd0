"""`wbpulse simulator` starts the stand-alone WB simulator with a demo seller whose key works."""

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bootstrap.net import free_port

WBPULSE = str(Path(sys.executable).with_name("wbpulse"))


def test_wbpulse_simulator_serves_a_demo_seller_whose_key_is_accepted() -> None:
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603 - our own console script
        [WBPULSE, "simulator", "--port", str(port), "--demo-seller", "--demo-preset", "small"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        key = None
        while key is None and time.monotonic() < deadline:
            line = proc.stdout.readline() if proc.stdout else ""
            if "key:" in line:
                key = line.rsplit("key:", 1)[1].strip()
        assert key, "no demo key printed"
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/seller-info", headers={"Authorization": f"Bearer {key}"}
        )
        for _ in range(50):
            try:
                with urllib.request.urlopen(request, timeout=2) as resp:  # noqa: S310 - loopback
                    assert resp.status == 200
                    assert b'"sid"' in resp.read()
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("simulator did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
