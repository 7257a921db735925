"""Every spelling of a Vietnamese number that staff really type gives one E.164 form."""
import pytest

from chalicelib.core.errors import InvalidInput
from chalicelib.core.phones import normalise

SPELLINGS = ["0912345678", "+84912345678", "84 91 234 5678", "84912345678", "0912.345.678", "0912-345-678",
             "912345678", "+84 912 345 678", "(+84) 0912-345-678", "+84 (0) 912 345 678", "840912345678",
             "+84-912-345-678", " 0912 345 678 ", "(84) 912345678"]


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_spelling_of_one_number_is_the_same_customer(typed):
    assert normalise(typed) == "+84912345678"


@pytest.mark.parametrize("old, new", [("0168 123 4567", "+84381234567"), ("+84 168 123 4567", "+84381234567"),
                                      ("01201234567", "+84701234567")])
def test_numbers_renumbered_in_2018_map_to_their_new_form(old, new):
    assert normalise(old) == new


def test_a_foreign_number_keeps_its_country():
    assert normalise("+1 415 555 2671") == "+14155552671"


@pytest.mark.parametrize("bad", ["abc", "12", ""])
def test_what_is_not_a_phone_names_the_field(bad):
    with pytest.raises(InvalidInput) as raised:
        normalise(bad, field="customer.phone")
    assert raised.value.errors[0]["field"] == "customer.phone"
