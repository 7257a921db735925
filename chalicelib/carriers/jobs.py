"""Scheduled: pull the status of parcels in transit whose callbacks may have been lost."""
import logging

from chalice import Blueprint, Rate

carrier_jobs = Blueprint(__name__)
log = logging.getLogger("quay.jobs")


@carrier_jobs.schedule(Rate(10, unit=Rate.MINUTES), description="Pull carrier statuses of parcels with no news for an hour")
def pull_carrier_statuses(event):
    """Bounded per run (8 shards x 50 parcels, grouped per carrier account); what is left is due next run."""
    from chalicelib.carriers import tracking

    result = tracking.pull()
    if result["checked"]:
        log.info("carrier pull: %s", result)
    return result
