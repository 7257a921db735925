"""Rollups kept from the table's stream: each order's change applies the difference between what
it adds now and what it added last time, in one transaction guarded by the order's version, so a
record delivered twice, late or out of order never changes the totals (ADR 0014)."""
import json

from chalicelib.core import keys, retry
from chalicelib.core.cache import ShortLived
from chalicelib.core.errors import Contention
from chalicelib.core.principal import Principal
from chalicelib.core.uow import UnitOfWork
from chalicelib.reports import rules
from chalicelib.reports.store import ContributionItem, RollupItem, rollup_rows
from chalicelib.staff import service as staff

DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
_zones = ShortLived(300)


class _Stale(Exception):
    """The contribution changed since we read it: read again."""


def shop_time_zone(tenant_id: str) -> str:
    return _zones.get(tenant_id, lambda: staff.get_shop(tenant_id).get("timezone") or DEFAULT_TIME_ZONE)


def _stored(pk: str, sk: str) -> ContributionItem | None:
    try:
        return ContributionItem.get(pk, sk, consistent_read=True)
    except ContributionItem.DoesNotExist:
        return None


def apply_order(tenant_id: str, order_id: str, version: int, created_at: str, document: dict) -> bool:
    """Bring the rollups to this version of the order; False when a newer or the same one was applied.
    The daily and the weekly rollups are two transactions, each guarded by its own contribution."""
    day = rules.local_day(created_at, shop_time_zone(tenant_id))
    new = rules.contribution(document)
    applied = _apply(tenant_id, keys.contribution(tenant_id, order_id), version, day, new)
    _apply(tenant_id, keys.weekly_contribution(tenant_id, order_id), version, rules.week_start(day), rules.weekly(new))
    return applied


def _apply(tenant_id: str, contribution_key: tuple[str, str], version: int, period: str,
           new: dict[str, dict[str, int]]) -> bool:
    for _ in retry.attempts():
        stored = _stored(*contribution_key)
        if stored is not None and int(stored.version) >= version:
            return False
        old = json.loads(stored.figures) if stored else {}
        period = stored.day if stored else period  # a late cancel or return corrects the day the order was created
        uow = UnitOfWork(Principal.system(tenant_id))
        item = ContributionItem(*contribution_key, version=version, day=period, figures=json.dumps(new, sort_keys=True))
        condition = ContributionItem.pk.does_not_exist() if stored is None else ContributionItem.version == stored.version
        uow.put(item, condition=condition, on_fail=lambda: _Stale())
        for key, delta in rules.difference(old, new).items():
            dimension, _, rest = key.partition("|")
            uow.update(RollupItem(keys.rollup(tenant_id, dimension), keys.rollup_sk(period, rest)),
                       [getattr(RollupItem, f).add(delta[f]) for f in rules.FIELDS])
        try:
            uow.commit()
            return True
        except _Stale:
            continue
    raise Contention("The order's rollups are changing fast; the stream will retry.")


def read_range(tenant_id: str, dimension: str, day_from: str, day_to: str) -> list[tuple[str, str, dict]]:
    """(day, key, figures) of a dimension over a date range, to be summed per key; for a dimension kept
    per week too, weeks come from the weekly rollups (their day is the week's Monday) and some days'
    figures come negated (rules.reads: a week less its days outside the range)."""
    if dimension not in rules.WEEKLY:
        return read(tenant_id, dimension, day_from, day_to)
    out = []
    for first, last, by_week, sign in rules.reads(day_from, day_to):
        found = read(tenant_id, rules.WEEKLY[dimension] if by_week else dimension, first, last)
        out += found if sign > 0 else [(day, key, {f: -v for f, v in figures.items()}) for day, key, figures in found]
    return out


def read(tenant_id: str, dimension: str, day_from: str, day_to: str) -> list[tuple[str, str, dict]]:
    """(day, key, figures) of one dimension over a date range: one Query (paged)."""
    low, high = keys.rollup_range(day_from, day_to)
    out = []
    for sk, figures in rollup_rows(keys.rollup(tenant_id, dimension), low, high, rules.FIELDS):
        day, _, key = sk.partition("#")
        out.append((day, key, figures))
    return out


def expected_from_orders(tenant_id: str, documents: list[dict]) -> dict[tuple[str, str, str], dict]:
    """What the rollups must hold, recomputed from the orders themselves: (dimension, day, key) -> figures
    (for a weekly dimension, the day is the week's Monday)."""
    zone = shop_time_zone(tenant_id)
    out: dict[tuple[str, str, str], dict] = {}
    for document in documents:
        day = rules.local_day(document["created_at"], zone)
        whole = rules.contribution(document)
        for period, part in ((day, whole), (rules.week_start(day), rules.weekly(whole))):
            for key, figures in part.items():
                dimension, _, rest = key.partition("|")
                rules.add(out.setdefault((dimension, period, rest), {}), figures)
    return {k: v for k, v in out.items() if any(v.values())}
