"""CLI: check one shop's stock invariants and print each drift (changes nothing).

    QUAY_DYNAMODB_ENDPOINT=http://127.0.0.1:PORT python -m infra.reconcile <tenant_id>
Exit code 1 when a drift is found."""
import json
import sys

from chalicelib.stock.reconcile import check_shop

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    report = check_shop(sys.argv[1])
    print(json.dumps(report, indent=2, ensure_ascii=False))
    sys.exit(1 if report["drifts"] else 0)
