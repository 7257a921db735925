"""Cold start: `import app` time (median of fresh interpreters) and the deployment package size.
Figures -> bench/results/cold_start.json"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import write_result

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def import_ms() -> list[float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}  # Lambda zips carry .pyc
    env["QUAY_TOKEN_SECRET"] = "x" * 40
    subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env, check=True)  # write the .pyc once
    samples = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app"], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stderr
        total = [int(m.group(1)) for m in re.finditer(r"import time:\s+\d+ \|\s+(\d+) \| app$", out, re.M)]
        samples.append(total[-1] / 1000)
    return samples


def package_size() -> dict:
    from infra.template import build

    with tempfile.TemporaryDirectory() as out:
        build(Path(out), "prod")
        size = (Path(out) / "deployment.zip").stat().st_size
    return {"deployment_zip_bytes": size, "deployment_zip_mib": round(size / 2**20, 2)}


def main() -> dict:
    samples = import_ms()
    figures = {"import_app_ms": {"median": round(statistics.median(samples), 1), "min": round(min(samples), 1),
                                 "max": round(max(samples), 1), "runs": RUNS, "budget": 250},
               **package_size()}
    write_result("cold_start", figures)
    return figures


if __name__ == "__main__":
    main()
