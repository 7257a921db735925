"""`make run`: DynamoDB Local with data under .data/, tables, demo shop, API + PWA on
http://127.0.0.1:$PORT (8000), the scheduled functions on their schedules, and the stream handler
fed from DynamoDB Local's stream (infra/stream_poller.py)."""
import os
import secrets
import signal
import subprocess
import sys
import threading
from pathlib import Path

from infra import dynamodb_local, provision

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("QUAY_DATA_DIR") or ROOT / ".data")


def _token_secret() -> str:
    path = DATA / "token-secret"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def main() -> None:
    port = int(os.environ.get("PORT", "8000"))
    db_port = int(os.environ.get("DYNAMODB_PORT", "0")) or dynamodb_local.free_port()
    dynamodb_local.local_credentials()
    database = dynamodb_local.start(db_port, data_dir=DATA / "dynamodb")
    stoppers = []
    os.environ.update({"QUAY_STAGE": "local", "QUAY_TABLE": "quay-local",
                       "QUAY_DYNAMODB_ENDPOINT": f"http://127.0.0.1:{db_port}",
                       "QUAY_TOKEN_SECRET": _token_secret()})
    try:
        print("tables:", provision.ensure_all(os.environ["QUAY_DYNAMODB_ENDPOINT"], os.environ["AWS_DEFAULT_REGION"],
                                              {"QUAY_TABLE": "quay-local"}))
        from app import app
        from infra import seed
        from infra.scheduler import Scheduler, scheduled_jobs
        from infra.server import build
        from infra.stream_poller import StreamPoller, StreamThread

        if not seed.is_seeded():
            print("seeding the demo shop ...")
            seed.seed()
        scheduler = Scheduler(app)
        scheduler.start()
        stoppers.append(scheduler.stop)
        stream = StreamThread(StreamPoller(app, os.environ["QUAY_DYNAMODB_ENDPOINT"], "quay-local",
                                           os.environ["AWS_DEFAULT_REGION"]))
        stream.start()
        stoppers.append(stream.stop)
        print("scheduled jobs:", ", ".join(j.name for j in scheduled_jobs(app)) or "none")
        server = build(app, "127.0.0.1", port)
        # SIGTERM (kill, systemd, an IDE's stop button) ends the server loop the way Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
        print(f"Quay is running on http://127.0.0.1:{port}  (demo: {seed.OWNER_EMAIL} / {seed.OWNER_PASSWORD})")
        print("Ctrl-C stops everything.", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the cleanup
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nstopping ...", flush=True)
        for stop in stoppers:
            try:
                stop()
            except Exception as error:  # cleanup goes on: the database must still stop
                print(f"while stopping: {error}", file=sys.stderr)
        _stop_database(database)
    sys.exit(0)


def _stop_database(database: subprocess.Popen) -> None:
    """DynamoDB Local runs in its own session (Ctrl-C reaches us, not Java): end its group."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(database.pid, sig)
            database.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


if __name__ == "__main__":
    main()
