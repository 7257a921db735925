"""The table definitions, once. Local creation (infra/local.py) and the AWS template
(infra/template.py) are both generated from TABLES. See docs/architecture.md for the
access patterns behind each key and index."""
from dataclasses import dataclass, field

from chalicelib.orders.projections import ORDER_SUMMARY_ATTRIBUTES


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str
    projection: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    logical_id: str
    env_var: str  # the app reads the physical name from this variable
    hash_key: str
    range_key: str
    indexes: tuple[Index, ...] = field(default_factory=tuple)
    ttl_attribute: str | None = None
    stream_view: str | None = None


MAIN = TableSpec(
    logical_id="QuayTable",
    env_var="QUAY_TABLE",
    hash_key="pk",
    range_key="sk",
    indexes=(
        Index("gsi1", "gsi1pk", "gsi1sk"),
        Index("gsi2", "gsi2pk", "gsi2sk"),
        # orders by date before ADR 0016: no longer written, kept until a migration drops it
        Index("gsi3", "gsi3pk", "gsi3sk", "INCLUDE", ORDER_SUMMARY_ATTRIBUTES),
        Index("gsi4", "gsi4pk", "gsi4sk", "INCLUDE", ORDER_SUMMARY_ATTRIBUTES),
    ),
    ttl_attribute="ttl",
    stream_view="NEW_AND_OLD_IMAGES",
)

TABLES = (MAIN,)


def _attribute_definitions(spec: TableSpec) -> list[dict]:
    names = [spec.hash_key, spec.range_key]
    for index in spec.indexes:
        names += [index.hash_key, index.range_key]
    return [{"AttributeName": n, "AttributeType": "S"} for n in dict.fromkeys(names)]


def _key_schema(hash_key: str, range_key: str) -> list[dict]:
    return [{"AttributeName": hash_key, "KeyType": "HASH"},
            {"AttributeName": range_key, "KeyType": "RANGE"}]


def _gsi(index: Index) -> dict:
    projection = {"ProjectionType": index.projection}
    if index.non_key_attributes:
        projection["NonKeyAttributes"] = list(index.non_key_attributes)
    return {"IndexName": index.name, "KeySchema": _key_schema(index.hash_key, index.range_key),
            "Projection": projection}


def create_table_request(spec: TableSpec, table_name: str) -> dict:
    """Arguments for the DynamoDB CreateTable call (on-demand billing)."""
    request = {
        "TableName": table_name,
        "AttributeDefinitions": _attribute_definitions(spec),
        "KeySchema": _key_schema(spec.hash_key, spec.range_key),
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [_gsi(i) for i in spec.indexes],
    }
    if spec.stream_view:
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": spec.stream_view}
    return request


def missing_index_updates(spec: TableSpec, existing_index_names: set[str]) -> list[dict]:
    """GlobalSecondaryIndexUpdates that bring an existing table up to the spec."""
    return [{"Create": _gsi(i)} for i in spec.indexes if i.name not in existing_index_names]


def cloudformation_resource(spec: TableSpec, table_name: dict | str) -> dict:
    """An AWS::DynamoDB::Table resource with TTL, streams and point-in-time recovery."""
    properties = create_table_request(spec, "__name__")
    properties["TableName"] = table_name
    properties["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": True}
    properties["SSESpecification"] = {"SSEEnabled": True}
    if spec.stream_view:
        properties["StreamSpecification"] = {"StreamViewType": spec.stream_view}
    if spec.ttl_attribute:
        properties["TimeToLiveSpecification"] = {"AttributeName": spec.ttl_attribute, "Enabled": True}
    return {"Type": "AWS::DynamoDB::Table", "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain", "Properties": properties}
