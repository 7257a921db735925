"""Matching our two-level (or old three-level) address to a carrier's master data, accent-insensitively."""
import pytest

from chalicelib.carriers.providers.base import (
    Address,
    AddressUnmatched,
    CachedMasterData,
    Division,
    match_address,
    name_key,
    parse_time,
    vnd,
)


class Master:
    """A carrier's legacy three-level master data (GHN-like), counting fetches."""

    def __init__(self):
        self.calls = 0

    def provinces(self):
        self.calls += 1
        return [Division(202, "Hồ Chí Minh", ("TP.Hồ Chí Minh", "HCM")), Division(201, "Hà Nội", ("Thành phố Hà Nội",)),
                Division(269, "Bắc Giang"), Division(270, "Bắc Ninh")]

    def districts(self, province_id):
        self.calls += 1
        return {202: [Division(1442, "Quận 1"), Division(1444, "Quận 3"), Division(1452, "Quận 10")],
                201: [Division(1485, "Quận Cầu Giấy")],
                269: [Division(1960, "Thành phố Bắc Giang")], 270: [Division(1730, "Thành phố Bắc Ninh")]}[province_id]

    def wards(self, district_id):
        self.calls += 1
        return {1442: [Division("20107", "Phường Bến Nghé"), Division("20109", "Phường Bến Thành")],
                1444: [Division("20301", "Phường 1")], 1452: [Division("21001", "Phường 01"), Division("21014", "Phường 14")],
                1485: [Division("1A0807", "Phường Dịch Vọng")], 1960: [Division("8001", "Phường Trần Phú")],
                1730: [Division("9001", "Phường Suối Hoa")]}[district_id]


def addr(province, ward, district=None, street="12 Lê Lợi"):
    return Address("A", "0900000000", street, province, ward, district)


@pytest.mark.parametrize("text,key", [("TP. Hồ Chí Minh", "ho chi minh"), ("Phường 01", "1"), ("Q.Tân Bình", "tan binh"),
                                      ("Thành phố Hà Nội", "ha noi"), ("ĐẮK LẮK", "dak lak"), ("Xã Đông Hòa", "dong hoa")])
def test_name_key(text, key):
    assert name_key(text) == key


def test_two_level_address_finds_the_ward_in_the_province():
    place = match_address(addr("Thành phố Hồ Chí Minh", "phuong ben nghe"), Master())
    assert (place.province_id, place.district_id, place.ward_id, place.ward_name) == (202, 1442, "20107", "Phường Bến Nghé")


def test_old_district_disambiguates_a_ward_name_found_in_many_districts():
    assert match_address(addr("HCM", "Phường 1", "Quận 10"), Master()).ward_id == "21001"


def test_ambiguous_ward_without_district_lists_the_candidates():
    with pytest.raises(AddressUnmatched) as caught:
        match_address(addr("Hồ Chí Minh", "Phường 1"), Master())
    assert caught.value.errors[0]["field"] == "ward"
    assert caught.value.extra["candidates"] == ["Phường 1, Quận 3", "Phường 01, Quận 10"]


def test_buyer_text_naming_the_district_disambiguates():
    assert match_address(addr("Hồ Chí Minh", "Phường 1", street="5 Trần Hưng Đạo, Quận 3"), Master()).ward_id == "20301"


def test_merged_province_unknown_to_carrier_uses_the_buyer_text():
    # since 2025 Bắc Ninh includes the old Bắc Giang; the carrier still lists Bắc Giang separately
    place = match_address(addr("Tỉnh Bắc Ninh", "Phường Trần Phú", street="3 Lê Lợi, TP Bắc Giang"), Master())
    assert place.province_id == 269 and place.ward_id == "8001"
    assert match_address(addr("Tỉnh Bắc Ninh", "Phường Suối Hoa"), Master()).province_id == 270


def test_unknown_ward_is_a_400_never_a_guess():
    with pytest.raises(AddressUnmatched) as caught:
        match_address(addr("Hà Nội", "Phường Nghĩa Đô"), Master())
    assert caught.value.errors == [{"field": "ward", "message": caught.value.detail}]


def test_unknown_province():
    with pytest.raises(AddressUnmatched) as caught:
        match_address(addr("Atlantis", "X"), Master())
    assert caught.value.errors[0]["field"] == "province"


def test_cached_master_data_fetches_each_list_once():
    master, cache = Master(), {}
    for _ in range(3):
        match_address(addr("Hà Nội", "Dịch Vọng"), CachedMasterData(master, cache))
    assert master.calls == 3  # provinces, districts of Hà Nội, wards of Cầu Giấy
    assert cache["provinces"][0] == (202, "Hồ Chí Minh", ["TP.Hồ Chí Minh", "HCM"])


def test_parsers():
    assert vnd("30400") == 30400 and vnd(30400.0) == 30400 and vnd(None) is None and vnd("x") is None
    assert parse_time("2021-11-11T03:52:50.158Z").isoformat() == "2021-11-11T03:52:50.158000+00:00"
    assert parse_time("2016-10-31 22:32:08").isoformat() == "2016-10-31T15:32:08+00:00"
    assert parse_time(1593187200).isoformat() == "2020-06-26T16:00:00+00:00"
    assert parse_time("Chiều 2017-07-02").isoformat() == "2017-07-01T17:00:00+00:00"
    assert parse_time("") is None
