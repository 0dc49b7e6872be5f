"""Concerns and wishes: the first real anonymous contribution, end to end.

Testkommune (tests/factories.py) with K_MIN 5: Team Sol has 3 people, the institution 4, the
centre 5 and the whole municipality 8, so the employee may write about the centre or the
municipality, but not about their team or institution (too few to stay anonymous).
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent, Person
from forankring.core.orgsync import refresh_head_counts
from forankring.privacy.actions import submit_concern
from forankring.privacy.models import Concern
from forankring.privacy.queries import CONCERNS_PER_PAGE
from forankring.privacy.testing import assert_unlinkable
from tests.factories import make_person

NEW = reverse("privacy:concern_new")
LIST = reverse("privacy:concern_list")
TEXT = "Jeg er bekymret for, om vi må bruge AI til referater af personalemøder."


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def list_url(unit) -> str:
    return f"{LIST}?enhed={unit.pk}"


def concern(personas, unit, text="En bekymring om AI", **kwargs) -> Concern:
    return Concern.objects.create(municipality=personas.municipality, unit=unit, kind="bekymring", text=text, **kwargs)


# --- Nothing links a concern to its author --------------------------------------------------


def test_it_lets_an_employee_send_a_concern_that_nothing_links_to_them(personas, client_for):
    employee = client_for("employee")
    chief = client_for("centre_chief")

    def send():
        response = employee.post(NEW, {"kind": "bekymring", "unit": personas.centre.pk, "text": TEXT})
        assert response.status_code == 302, response.content.decode()

    item = assert_unlinkable(
        model=Concern,
        create=send,
        person=personas.employee,
        client=employee,
        extra_urls=[(chief, list_url(personas.centre))],
    )
    assert isinstance(item, Concern) and item.text == TEXT and item.unit == personas.centre
    # The leader's page does show the concern, so the check of that page above had something to see.
    assert TEXT in chief.get(list_url(personas.centre)).content.decode()


def test_it_keeps_the_action_itself_unlinkable(personas, client_for):
    item = assert_unlinkable(
        model=Concern,
        create=lambda: submit_concern(actor=personas.employee, unit=personas.root, kind="oenske", text=TEXT),
        person=personas.employee,
        extra_urls=[(client_for("med"), LIST)],
    )
    assert item.created_on == timezone.localdate()


def test_it_writes_no_audit_row_for_a_concern(personas):
    before = AuditEvent.objects.count()
    submit_concern(actor=personas.employee, unit=personas.centre, kind="bekymring", text=TEXT)
    assert AuditEvent.objects.count() == before


def test_it_thanks_the_sender_without_naming_the_item(personas, client_for):
    client = client_for("employee")
    response = client.post(NEW, {"kind": "oenske", "unit": personas.root.pk, "text": TEXT}, follow=True)
    page = response.content.decode()
    assert "Tak. Dit ønske er sendt anonymt til ledere og MED i Direktionen." in page
    assert str(Concern.objects.get().pk) not in page


# --- Bad input ------------------------------------------------------------------------------


def test_it_blocks_a_cpr_number_and_keeps_what_was_typed(personas, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    text = "Borgeren med cpr 070761-4285 skal ikke i en chatbot."
    response = client_for("employee").post(NEW, {"kind": "bekymring", "unit": personas.centre.pk, "text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "070761-XXXX" in page  # masked, beside the field
    assert "Der er 1 fejl i formularen" in page
    assert text in page  # the person can fix it without retyping
    assert not Concern.objects.exists()
    assert "4285" not in caplog.text


def test_it_keeps_the_chosen_unit_indented_by_level_after_an_error(personas, client_for):
    response = client_for("employee").post(NEW, {"kind": "", "unit": personas.centre.pk, "text": TEXT})
    page = response.content.decode()
    assert f'<option value="{personas.centre.pk}" selected>– Center for Dagtilbud</option>' in page
    assert f'<option value="{personas.root.pk}">Direktionen</option>' in page


def test_it_asks_for_every_field_in_danish(personas, client_for):
    page = client_for("employee").post(NEW, {"kind": "", "unit": "", "text": ""}).content.decode()
    assert "Vælg, om det er en bekymring eller et ønske." in page
    assert "Vælg den del af organisationen, det handler om." in page
    assert "Skriv, hvad du gerne vil sige." in page
    assert not Concern.objects.exists()


def test_it_blocks_a_phone_number_in_an_anonymous_concern(personas):
    with pytest.raises(ValidationError) as error:
        submit_concern(actor=personas.employee, unit=personas.centre, kind="oenske", text="Ring til mig på 21 43 65 87")
    assert "text" in error.value.message_dict
    assert not Concern.objects.exists()


def test_it_refuses_a_unit_outside_the_persons_branch(personas, client_for):
    response = client_for("employee").post(NEW, {"kind": "bekymring", "unit": personas.other_team.pk, "text": TEXT})
    assert response.status_code == 200
    assert "Vælg en af enhederne på listen" in response.content.decode()
    with pytest.raises(ValidationError) as error:
        submit_concern(actor=personas.employee, unit=personas.other_team, kind="bekymring", text=TEXT)
    assert "unit" in error.value.message_dict
    assert not Concern.objects.exists()


def test_it_refuses_a_unit_with_too_few_people_to_stay_anonymous(personas):
    with pytest.raises(ValidationError) as error:
        submit_concern(actor=personas.employee, unit=personas.team, kind="bekymring", text=TEXT)
    assert "mindst 5 personer" in error.value.message_dict["unit"][0]


def test_it_refuses_a_unit_of_another_municipality(personas):
    with pytest.raises(Http404):
        submit_concern(actor=personas.employee, unit=personas.other_root, kind="bekymring", text=TEXT)


def test_it_refuses_a_person_who_has_left(personas):
    personas.employee.is_active = False
    personas.employee.save(update_fields=["is_active"])
    with pytest.raises(Http404):
        submit_concern(actor=personas.employee, unit=personas.root, kind="bekymring", text=TEXT)


def test_it_offers_only_units_big_enough_to_hide_the_sender(personas, client_for):
    page = client_for("employee").get(NEW).content.decode()
    assert "Center for Dagtilbud" in page and "Direktionen" in page
    assert "Team Sol" not in page and "Mælkebøtten" not in page


def test_it_lets_someone_placed_nowhere_write_to_the_whole_municipality(personas):
    made = submit_concern(actor=personas.facilitator, unit=personas.root, kind="oenske", text=TEXT)
    assert made.unit == personas.root


def test_it_explains_when_the_persons_units_are_all_too_small(personas, client_for):
    # Andenkommune has one person, the outsider.
    response = client_for("outsider").get(NEW)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der er færre end 5 personer i de enheder, du hører til" in page
    assert "<textarea" not in page


def test_it_stops_a_person_after_the_daily_limit(personas, client_for, settings):
    settings.ANONYMOUS_DAILY_LIMIT = 2
    client = client_for("employee")
    data = {"kind": "bekymring", "unit": personas.centre.pk, "text": TEXT}
    assert client.post(NEW, data).status_code == 302
    assert client.post(NEW, data).status_code == 302
    response = client.post(NEW, data)
    assert response.status_code == 429
    assert "Du har sendt mange anonyme bidrag i dag" in response.content.decode()
    assert TEXT in response.content.decode()
    assert Concern.objects.count() == 2
    # Someone else is not affected.
    assert client_for("lighthouse").post(NEW, data).status_code == 302


def test_it_keeps_the_rate_limit_apart_from_the_item(personas):
    from django.db import connection

    item = submit_concern(actor=personas.employee, unit=personas.centre, kind="bekymring", text=TEXT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM forankring_cache")
        rows = cursor.fetchall()
    assert rows, "the limit should have counted the post"
    for key, value in rows:
        for identifier in (str(item.pk), item.pk.hex, str(item.shuffle_key), item.text):
            assert identifier not in key and identifier not in str(value)
        assert str(personas.employee.pk) not in key.split(":")
        assert personas.employee.name not in key


# --- Reading concerns: leaders and MED of the unit, never the author ------------------------


def test_it_shows_concerns_to_the_leader_of_the_unit(personas, client_for):
    concern(personas, personas.centre, "Om centret")
    concern(personas, personas.root, "Om hele kommunen")
    page = client_for("centre_chief").get(LIST).content.decode()
    assert "Om centret" in page
    assert "Om hele kommunen" not in page  # above the chief's unit


def test_it_shows_med_the_whole_municipality(personas, client_for):
    concern(personas, personas.centre, "Om centret")
    concern(personas, personas.root, "Om hele kommunen")
    page = client_for("med").get(LIST).content.decode()
    assert "Om centret" in page and "Om hele kommunen" in page


@pytest.mark.parametrize("who", ["employee", "lighthouse", "it", "admin", "facilitator", "outsider"])
def test_it_hides_concerns_from_everyone_else(personas, client_for, who):
    concern(personas, personas.centre, "Om centret")
    assert client_for(who).get(LIST).status_code == 404


def test_it_answers_404_for_a_unit_outside_the_readers_scope(personas, client_for):
    client = client_for("centre_chief")
    assert client.get(list_url(personas.root)).status_code == 404
    assert client.get(list_url(personas.other_root)).status_code == 404
    assert client.get(f"{LIST}?enhed=999999999").status_code == 404


def test_it_says_too_few_people_when_the_unit_is_small(personas, client_for):
    concern(personas, personas.centre, "Om centret")
    page = client_for("team_leader").get(LIST).content.decode()
    assert "For få personer i enheden til at vise anonyme bidrag uden for gruppen" in page
    assert "Om centret" not in page


def test_it_holds_back_concerns_about_a_unit_that_has_become_too_small(personas, client_for):
    concern(personas, personas.centre, "Om centret")
    concern(personas, personas.root, "Om hele kommunen")
    Person.objects.filter(pk=personas.lighthouse.pk).update(is_active=False)  # the centre drops to 4
    refresh_head_counts(personas.municipality.pk)  # as the import that makes someone inactive does
    page = client_for("med").get(LIST).content.decode()
    assert "Om hele kommunen" in page
    assert "Om centret" not in page
    assert "Nogle bidrag handler om en enhed, der nu har færre end 5 personer" in page


def test_it_groups_concerns_by_date_without_a_time(personas, client_for):
    concern(personas, personas.root, "Fra marts", created_on=date(2026, 3, 12))
    concern(personas, personas.root, "Fra april", created_on=date(2026, 4, 2))
    page = client_for("med").get(LIST).content.decode()
    assert "2. april 2026" in page and "12. marts 2026" in page
    assert (
        page.index("2. april 2026") < page.index("Fra april") < page.index("12. marts 2026") < page.index("Fra marts")
    )


def test_it_lists_concerns_in_the_same_shuffled_order_on_every_visit(personas, client_for):
    texts = [f"Bidrag nummer {i:02d}" for i in range(25)]
    for text in texts:
        concern(personas, personas.root, text)
    client = client_for("med")

    def order() -> list[str]:
        page = client.get(LIST).content.decode()
        return sorted(texts, key=page.index)

    first = order()
    assert first == order()
    assert first != texts  # not by arrival


def test_it_keeps_the_list_query_count_stable(personas, client_for, assert_num_queries_stable):
    extra_team = personas.institution
    concern(personas, personas.centre)

    def grow():
        for i in range(10):
            concern(personas, personas.root if i % 2 else personas.centre, f"Mere {i}")
        for i in range(3):
            make_person(personas.municipality, f"Ny kollega {i}", unit=extra_team)

    assert_num_queries_stable(client_for("med"), LIST, grow)


def test_it_pages_through_many_concerns(personas, client_for):
    for i in range(CONCERNS_PER_PAGE + 5):
        concern(personas, personas.root, f"Bidrag {i}")
    client = client_for("med")
    first = client.get(LIST).content.decode()
    second = client.get(f"{LIST}?enhed={personas.root.pk}&side=2").content.decode()
    assert "Side 1 af 2" in first and "Side 2 af 2" in second
    assert f"?enhed={personas.root.pk}&amp;side=2" in first
    assert first.count("app-concern-meta") == CONCERNS_PER_PAGE and second.count("app-concern-meta") == 5
