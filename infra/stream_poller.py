"""DynamoDB Local's stream fed to the app's stream handler, as Lambda's event source mapping does
in AWS: `make run` runs it in a thread; tests call `drain()` to deliver what is pending.

Records arrive in the Lambda event shape (epoch `ApproximateCreationDateTime`, `eventSourceARN`), so
the handler is the very function Lambda calls. Iterators start at the stream's oldest record; each
shard resumes after the last record handed over."""
import logging
import threading
import time
from collections import defaultdict
from datetime import datetime

log = logging.getLogger("quay.stream_poller")


class StreamPoller:
    def __init__(self, app, endpoint: str, table: str, region: str, handler_name: str = "on_table_change"):
        import botocore.session

        session = botocore.session.get_session()
        self.dynamodb = session.create_client("dynamodb", region_name=region, endpoint_url=endpoint)
        self.streams = session.create_client("dynamodbstreams", region_name=region, endpoint_url=endpoint)
        self.app, self.table, self.handler_name = app, table, handler_name
        self.iterators: dict[str, str | None] = {}
        self.last_sequence: dict[str, str] = {}
        self.lock = threading.Lock()
        self.held: dict[str, list[dict]] = defaultdict(list)  # tenant -> records read but not yet handed over

    def _stream_arn(self) -> str:
        return self.dynamodb.describe_table(TableName=self.table)["Table"]["LatestStreamArn"]

    def read(self) -> list[dict]:
        """Every record written since the last read, in each shard's order."""
        arn = self._stream_arn()
        description = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        records = []
        for shard in description["Shards"]:
            shard_id = shard["ShardId"]
            if shard_id not in self.iterators:
                self.iterators[shard_id] = self.streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while self.iterators[shard_id]:
                try:
                    page = self.streams.get_records(ShardIterator=self.iterators[shard_id], Limit=1000)
                except self.streams.exceptions.ExpiredIteratorException:
                    self.iterators[shard_id] = self._resume(arn, shard_id)
                    continue
                self.iterators[shard_id] = page.get("NextShardIterator")
                records += [self._lambda_shape(r, arn) for r in page["Records"]]
                if not page["Records"]:
                    break
                self.last_sequence[shard_id] = page["Records"][-1]["dynamodb"]["SequenceNumber"]
        return records

    def _resume(self, arn: str, shard_id: str) -> str:
        """An iterator after the last record handed over (iterators expire after 15 minutes)."""
        after = self.last_sequence.get(shard_id)
        options = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": after} if after else \
            {"ShardIteratorType": "TRIM_HORIZON"}
        return self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, **options)["ShardIterator"]

    @staticmethod
    def _lambda_shape(record: dict, arn: str) -> dict:
        body = dict(record["dynamodb"])
        stamp = body.get("ApproximateCreationDateTime")
        body["ApproximateCreationDateTime"] = stamp.timestamp() if isinstance(stamp, datetime) else stamp or time.time()
        body.setdefault("SizeBytes", 0)
        body.setdefault("StreamViewType", "NEW_AND_OLD_IMAGES")
        return {"eventID": record.get("eventID", ""), "eventName": record["eventName"],
                "eventVersion": record.get("eventVersion", "1.1"), "eventSource": "aws:dynamodb",
                "awsRegion": record.get("awsRegion", "local"), "eventSourceARN": arn, "dynamodb": body}

    def deliver(self, records: list[dict]) -> None:
        for start in range(0, len(records), 100):  # the mapping's batch size
            try:
                self.app.handler_map[self.handler_name]({"Records": records[start:start + 100]}, None)
            except Exception:  # a failing batch is logged; its subscribers keep their own retry state
                log.exception("stream batch failed")

    def take(self, tenant_id: str | None = None) -> list[dict]:
        """What is pending, taken out: everything, or only one shop's records (tests share one table;
        the other shops' records wait for their own test)."""
        with self.lock:
            for record in self.read():
                pk = record["dynamodb"]["Keys"]["pk"]["S"]
                self.held[pk.split("#")[1] if pk.startswith("SHOP#") else ""].append(record)
            if tenant_id is None:
                batch = [r for records in self.held.values() for r in records]
                self.held.clear()
                return batch
            return self.held.pop(tenant_id, [])

    def drain(self, tenant_id: str | None = None) -> int:
        """Hand over what is pending (see take) to the stream handler now."""
        batch = self.take(tenant_id)
        self.deliver(batch)
        return len(batch)


class StreamThread(threading.Thread):
    """`make run`: polls the stream about every half second, as Lambda's mapping would."""

    def __init__(self, poller: StreamPoller, interval: float = 0.5):
        super().__init__(daemon=True, name="quay-stream")
        self.poller, self.interval, self.stopping = poller, interval, threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            try:
                self.poller.drain()
            except Exception:  # the database restarting, a shard rolling over: try again next tick
                log.exception("stream poll failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
