"""`make run`'s process (python -m infra.local) stops cleanly on SIGTERM: no traceback, and the
DynamoDB Local it started is gone too."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from infra import dynamodb_local

ROOT = Path(__file__).resolve().parents[2]


def _wait_until_serving(process, url, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError("make run did not start")


def _java_children(marker: str) -> list[str]:
    listing = subprocess.run(["ps", "-eww", "-o", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if "DynamoDBLocal" in line and marker in line]


def test_sigterm_stops_the_server_and_dynamodb_local_without_a_traceback(tmp_path):
    port, db_port = dynamodb_local.free_port(), dynamodb_local.free_port()
    env = {**os.environ, "PORT": str(port), "DYNAMODB_PORT": str(db_port), "QUAY_DATA_DIR": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "infra.local"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_serving(process, f"http://127.0.0.1:{port}/api/v1/health")
        assert _java_children(f"-port {db_port}"), "DynamoDB Local should be running"
        unknown = requests.get(f"http://127.0.0.1:{port}/api/v1/no-such-route", timeout=5)
        assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/problem+json")
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err and "Traceback" not in out
    assert "stopping" in out
    assert not _java_children(f"-port {db_port}")
