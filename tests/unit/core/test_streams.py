"""Stream records read as plain Python: typed images, kinds from keys, the Lambda event shape."""
from decimal import Decimal

from chalicelib.core.streams import change_from


def record(event, keys, new=None, old=None):
    body = {"Keys": keys, "SequenceNumber": "100", "ApproximateCreationDateTime": 1764633600,
            "SizeBytes": 10, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if new is not None:
        body["NewImage"] = new
    if old is not None:
        body["OldImage"] = old
    return {"eventName": event, "dynamodb": body}


def test_typed_images_become_plain_values():
    change = change_from(record("MODIFY", {"pk": {"S": "SHOP#t1#ORDER#o1"}, "sk": {"S": "ORDER"}},
                                new={"pk": {"S": "SHOP#t1#ORDER#o1"}, "status": {"S": "confirmed"},
                                     "version": {"N": "3"}, "rate": {"N": "0.5"}, "paid": {"BOOL": True},
                                     "note": {"NULL": True}, "lines": {"L": [{"M": {"sku": {"S": "A"}, "qty": {"N": "2"}}}]},
                                     "tags": {"SS": ["x", "y"]}},
                                old={"status": {"S": "new"}, "version": {"N": "2"}}))
    assert change.event == "MODIFY" and change.kind == "ORDER" and change.tenant_id == "t1"
    assert change.new["version"] == 3 and change.new["rate"] == Decimal("0.5") and change.new["paid"] is True
    assert change.new["note"] is None and change.new["lines"] == [{"sku": "A", "qty": 2}]
    assert change.new["tags"] == {"x", "y"} and change.old == {"status": "new", "version": 2}
    assert change.at.year == 2025 and change.sequence == "100"


def test_kinds_from_keys():
    def kind(pk, sk):
        return change_from(record("INSERT", {"pk": {"S": pk}, "sk": {"S": sk}}, new={})).kind

    assert kind("SHOP#t1#STOCK#TS-M", "LEVEL#l1") == "STOCK"
    assert kind("SHOP#t1", "STAFF#s1") == "STAFF"
    assert kind("LOGIN#a@b.vn", "LOGIN") == "LOGIN"


def test_a_removal_keeps_what_the_item_was():
    change = change_from(record("REMOVE", {"pk": {"S": "SHOP#t1#RESERVATION#r1"}, "sk": {"S": "RESERVATION"}},
                                old={"status": {"S": "active"}}))
    assert change.new is None and change.image == {"status": "active"}
