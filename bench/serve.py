"""The app on the local gateway in its own process, for HTTP benchmarks."""
import sys

from infra.server import build

if __name__ == "__main__":
    from app import app

    build(app, "127.0.0.1", int(sys.argv[1])).serve_forever()
