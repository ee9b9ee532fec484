import pytest
from django.core.exceptions import ValidationError

from events.validators import normalise_postcode, validate_uk_postcode
from tests.factories import VenueFactory


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ls14ap", "LS1 4AP"),
        ("SW1A 1AA", "SW1A 1AA"),
        (" m1  1ae ", "M1 1AE"),
        ("GIR0AA", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(raw, expected):
    assert normalise_postcode(raw) == expected
    validate_uk_postcode(raw)


@pytest.mark.parametrize("bad", ["", "12345", "LS1", "QQ1 1QQ", "LS1 4AP extra"])
def test_impossible_postcodes_are_refused_with_a_clear_message(bad):
    with pytest.raises(ValidationError) as error:
        validate_uk_postcode(bad)
    assert "is not a UK postcode" in str(error.value)


def test_venue_lists_its_access_facts(db):
    venue = VenueFactory(step_free=True, hearing_loop=False, alcohol_free=True)
    facts = {name: has for name, _label, has in venue.access_facts}
    assert facts["step_free"] is True
    assert facts["hearing_loop"] is False
    assert facts["alcohol_free"] is True
    assert venue.address_lines[-1] == "LS1 4AP"


def test_admin_refuses_a_venue_with_a_bad_postcode_and_saves_nothing(admin_client):
    from events.models import Venue

    response = admin_client.post(
        "/admin/snippets/events/venue/add/",
        {"name": "Hall", "address_line_1": "1 Road", "town": "Leeds", "postcode": "NOT A CODE"},
    )
    assert response.status_code == 200
    assert "is not a UK postcode" in response.content.decode()
    assert not Venue.objects.exists()
