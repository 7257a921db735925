"""Create or update the tables described in infra/tables.py (used locally; AWS uses the template)."""
import time

import botocore.session

from infra.tables import TABLES, TableSpec, create_table_request, missing_index_updates


def client(endpoint: str | None, region: str):
    return botocore.session.get_session().create_client("dynamodb", endpoint_url=endpoint, region_name=region)


def ensure_table(ddb, spec: TableSpec, table_name: str) -> str:
    """Returns 'created', 'updated' or 'unchanged'."""
    try:
        described = ddb.describe_table(TableName=table_name)["Table"]
    except ddb.exceptions.ResourceNotFoundException:
        ddb.create_table(**create_table_request(spec, table_name))
        ddb.get_waiter("table_exists").wait(TableName=table_name)
        if spec.ttl_attribute:
            ddb.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
                "AttributeName": spec.ttl_attribute, "Enabled": True})
        return "created"
    existing = {i["IndexName"] for i in described.get("GlobalSecondaryIndexes", [])}
    updates = missing_index_updates(spec, existing)
    attributes = create_table_request(spec, table_name)["AttributeDefinitions"]
    for update in updates:  # DynamoDB builds one new index at a time
        ddb.update_table(TableName=table_name, AttributeDefinitions=attributes, GlobalSecondaryIndexUpdates=[update])
        _wait_for_indexes(ddb, table_name)
    if updates:
        return "updated"
    return "unchanged"


def _wait_for_indexes(ddb, table_name: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        table = ddb.describe_table(TableName=table_name)["Table"]
        if all(i["IndexStatus"] == "ACTIVE" for i in table.get("GlobalSecondaryIndexes", [])):
            return
        time.sleep(0.5)
    raise RuntimeError(f"indexes of {table_name} did not become active in time")


def ensure_all(endpoint: str | None, region: str, names: dict[str, str]) -> dict[str, str]:
    """names maps each spec's env_var to the physical table name."""
    ddb = client(endpoint, region)
    return {names[spec.env_var]: ensure_table(ddb, spec, names[spec.env_var]) for spec in TABLES}
