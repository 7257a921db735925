"""`make bench`: every benchmark, each in its own process (each starts its own DynamoDB Local),
each writing its figures to bench/results/."""
import subprocess
import sys

BENCHMARKS = ["bench.cold_start", "bench.pwa_size", "bench.pwa_speed", "bench.stock_hot_sku", "bench.orders_http",
              "bench.live_capture", "bench.channel_push", "bench.reports", "bench.invoices_issue",
              "bench.carriers_booking"]

if __name__ == "__main__":
    failed = [name for name in BENCHMARKS if subprocess.run([sys.executable, "-m", name]).returncode != 0]
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
