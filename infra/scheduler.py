"""Runs the app's scheduled functions locally on their Rate/Cron schedules (EventBridge's job in AWS)."""
import logging
import threading
import time
from datetime import UTC, datetime

from chalice.app import Cron, Rate, ScheduledEventConfig

log = logging.getLogger("quay.scheduler")
_SECONDS = {Rate.MINUTES: 60, Rate.HOURS: 3600, Rate.DAYS: 86400}


def _field_matches(spec: str, value: int) -> bool:
    if spec in ("*", "?"):
        return True
    for part in spec.split(","):
        base, _, step = part.partition("/")
        start = 0 if base == "*" else int(base.split("-")[0])
        end = int(base.split("-")[1]) if "-" in base else (10**4 if base == "*" or step else start)
        if start <= value <= end and (value - start) % int(step or 1) == 0:
            return True
    return False


def cron_due(cron: Cron, moment: datetime) -> bool:
    """AWS cron fields: minutes hours day-of-month month day-of-week(1=Sunday) year, in UTC."""
    aws_weekday = (moment.isoweekday() % 7) + 1
    fields = [(cron.minutes, moment.minute), (cron.hours, moment.hour), (cron.day_of_month, moment.day),
              (cron.month, moment.month), (cron.day_of_week, aws_weekday), (cron.year, moment.year)]
    return all(_field_matches(str(spec), value) for spec, value in fields)


def scheduled_jobs(app) -> list[ScheduledEventConfig]:
    return [source for source in app.event_sources if isinstance(source, ScheduledEventConfig)]


def run_job(app, job: ScheduledEventConfig, moment: datetime) -> None:
    event = {"version": "0", "id": f"local-{job.name}-{int(moment.timestamp())}", "detail-type": "Scheduled Event",
             "source": "aws.events", "account": "000000000000", "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
             "region": "local", "resources": [f"local:rule/{job.name}"], "detail": {}}
    try:
        app.handler_map[job.name](event, None)
    except Exception:
        log.exception("scheduled job %s failed", job.name)


class Scheduler(threading.Thread):
    def __init__(self, app):
        super().__init__(daemon=True, name="quay-scheduler")
        self.app, self.stopping = app, threading.Event()

    def run(self) -> None:
        jobs = scheduled_jobs(self.app)
        next_rate = {j.name: time.time() for j in jobs if isinstance(j.schedule_expression, Rate)}
        last_minute = None
        while not self.stopping.wait(1.0):
            now = datetime.now(UTC)
            minute = now.replace(second=0, microsecond=0)
            for job in jobs:
                expression = job.schedule_expression
                if isinstance(expression, Rate) and time.time() >= next_rate[job.name]:
                    next_rate[job.name] = time.time() + expression.value * _SECONDS[expression.unit]
                    run_job(self.app, job, now)
                elif isinstance(expression, Cron) and minute != last_minute and cron_due(expression, minute):
                    run_job(self.app, job, now)
            last_minute = minute

    def stop(self) -> None:
        self.stopping.set()


