"""Shared bench plumbing: a fresh in-memory DynamoDB Local, the tables, and a meter that
counts DynamoDB round trips and the capacity units DynamoDB reports for them."""
import http.client
import json
import os
import platform
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from infra import dynamodb_local, provision

RESULTS = Path(__file__).resolve().parent / "results"


def start_stack():
    port = dynamodb_local.free_port()
    os.environ.update({"QUAY_STAGE": "local", "QUAY_TABLE": "quay-bench",
                       "QUAY_DYNAMODB_ENDPOINT": f"http://127.0.0.1:{port}",
                       "QUAY_TOKEN_SECRET": "bench-secret-" + "x" * 32})
    dynamodb_local.local_credentials()
    process = dynamodb_local.start(port, data_dir=None)
    provision.ensure_all(os.environ["QUAY_DYNAMODB_ENDPOINT"], os.environ["AWS_DEFAULT_REGION"],
                         {"QUAY_TABLE": "quay-bench"})
    return process


class Meter:
    """Wraps PynamoDB's single call site to DynamoDB (PynamoDB asks for TOTAL capacity)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.calls: dict[str, int] = {}
        self.capacity = 0.0

    def install(self):
        from pynamodb.connection.base import Connection

        real = Connection._make_api_call
        meter = self

        def metered(connection, operation, kwargs):
            try:
                response = real(connection, operation, kwargs)
            finally:
                with meter.lock:
                    meter.calls[operation] = meter.calls.get(operation, 0) + 1
            consumed = response.get("ConsumedCapacity")
            entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
            with meter.lock:
                meter.capacity += sum(e.get("CapacityUnits", 0) for e in entries)
            return response

        Connection._make_api_call = metered
        return self

    def reset(self):
        with self.lock:
            self.calls, self.capacity = {}, 0.0

    def snapshot(self) -> dict:
        with self.lock:
            return {"calls": dict(self.calls), "round_trips": sum(self.calls.values()), "capacity_units": self.capacity}


@contextmanager
def app_server():
    """The app on the local gateway in its own process; yields its port."""
    from infra.dynamodb_local import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.serve", str(port)], env=os.environ.copy(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/v1/health")
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait()


def post_json(connection, path, body, token):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request("POST", path, json.dumps(body), headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read() or b"null")


def sign_in(port: int, email: str, password: str) -> str:
    return post_json(http.client.HTTPConnection("127.0.0.1", port), "/api/v1/auth/login",
                     {"email": email, "password": password}, None)[1]["access_token"]


def run_threads(worker, threads: int, per_thread: int) -> float:
    """Runs worker(thread_index, n) per_thread times on each thread; returns elapsed seconds."""
    barrier = threading.Barrier(threads + 1)

    def loop(index):
        barrier.wait()
        for n in range(per_thread):
            worker(index, n)

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in pool:
        t.join()
    return time.perf_counter() - started


def write_result(name: str, figures: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    figures = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **figures}
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    print("written to", path)
    return path
