"""Create or update the tables described in infra/tables.py (used locally; AWS uses the template)."""
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
    if updates:
        request = create_table_request(spec, table_name)
        ddb.update_table(TableName=table_name, AttributeDefinitions=request["AttributeDefinitions"],
                         GlobalSecondaryIndexUpdates=updates)
        return "updated"
    return "unchanged"


def ensure_all(endpoint: str | None, region: str, names: dict[str, str]) -> dict[str, str]:
    """names maps each spec's env_var to the physical table name."""
    ddb = client(endpoint, region)
    return {names[spec.env_var]: ensure_table(ddb, spec, names[spec.env_var]) for spec in TABLES}
