"""Concerns and wishes answered: status received → discussed → answered, the answer shown to
those who may read the concern and on the page of answered concerns, and still no author."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from forankring.core.models import AuditEvent
from forankring.direction import actions
from forankring.direction.models import ConcernAnswer
from forankring.direction.queries import TO_ANSWER_PER_PAGE
from forankring.privacy.actions import submit_concern
from forankring.privacy.checks import links_to_identity
from forankring.privacy.models import Concern
from forankring.privacy.testing import assert_unlinkable

TEXT = "Jeg er bekymret for, om referater fra personalemøder må laves med AI."
ANSWER = "Ja, med Mødereferenten, når alle deltagere ved det. Ikke med gratis tjenester."
CONCERNS = reverse("direction:concerns")
ANSWERED = reverse("direction:answered")


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def send(personas, text: str = TEXT) -> Concern:
    return submit_concern(actor=personas.employee, unit=personas.centre, kind="bekymring", text=text)


def _post(concern: Concern, status: str, answer: str, prefix: str = "a") -> dict[str, str]:
    """The form of the first concern on the page (prefix "a")."""
    return {"concern": str(concern.pk), "prefix": prefix, f"{prefix}-status": status, f"{prefix}-answer": answer}


def test_it_keeps_the_author_unlinkable_through_answer_and_publication(personas, client_for):
    med, colleague = client_for("med"), client_for("lighthouse")
    item = assert_unlinkable(
        model=Concern,
        create=lambda: send(personas),
        person=personas.employee,
        extra_urls=[(med, CONCERNS), (colleague, ANSWERED)],
    )
    assert TEXT in med.get(CONCERNS).content.decode()
    med.post(CONCERNS, _post(item, "answered", ANSWER))
    answered = colleague.get(ANSWERED).content.decode()
    assert TEXT in answered and ANSWER in answered
    for page in (answered, med.get(CONCERNS).content.decode()):
        assert personas.employee.name not in page and personas.employee.user.username not in page
    # The answer row has no author of either kind, and its audit row names neither the concern
    # nor its text.
    assert not links_to_identity(ConcernAnswer)
    event = AuditEvent.objects.get(action="direction.concern.answer")
    assert event.actor == personas.med
    assert str(item.pk) not in str(event.changes) and TEXT not in str(event.changes) + event.object_label


def test_it_moves_a_concern_from_received_to_discussed_to_answered(personas):
    concern = send(personas)
    actions.answer_concern(actor=personas.centre_chief, concern=concern, status="discussed", answer="")
    assert ConcernAnswer.objects.get(concern=concern).status == "discussed"
    actions.answer_concern(actor=personas.med, concern=concern, status="answered", answer=ANSWER)
    row = ConcernAnswer.objects.get(concern=concern)
    assert (row.status, row.answer) == ("answered", ANSWER) and row.answered_on is not None


def test_it_refuses_answered_without_an_answer_beside_the_field(personas, client_for):
    concern = send(personas)
    response = client_for("med").post(CONCERNS, _post(concern, "answered", " "))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_a-answer-error"' in page and "Skriv svaret" in page
    assert not ConcernAnswer.objects.exists()


def test_it_lets_only_the_units_readers_answer(personas, client_for):
    concern = send(personas)
    with pytest.raises(Http404):
        actions.answer_concern(actor=personas.employee, concern=concern, status="answered", answer=ANSWER)
    assert client_for("employee").post(CONCERNS, _post(concern, "answered", ANSWER)).status_code == 404
    assert client_for("outsider").post(CONCERNS, _post(concern, "answered", ANSWER)).status_code == 404
    assert client_for("med").post(CONCERNS, {"concern": "not-a-uuid"}).status_code == 404
    assert client_for("med").post(CONCERNS, _post(concern, "answered", ANSWER, prefix="a1")).status_code == 404
    assert not ConcernAnswer.objects.exists()


def test_it_shows_answers_only_about_ones_own_units(personas, client_for):
    concern = send(personas)
    actions.answer_concern(actor=personas.med, concern=concern, status="answered", answer=ANSWER)
    assert ANSWER in client_for("employee").get(ANSWERED).content.decode()  # the centre is above their team
    assert ANSWER not in client_for("outsider").get(ANSWERED).content.decode()
    assert ANSWER not in client_for("facilitator").get(ANSWERED).content.decode()  # placed in no unit


def test_it_tells_the_readers_on_the_home_page(personas, client_for):
    send(personas)
    assert "1 bekymring eller ønske venter på svar" in client_for("med").get(reverse("core:home")).content.decode()
    assert "venter på svar" not in client_for("employee").get(reverse("core:home")).content.decode()


def test_it_lists_concerns_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    first = send(personas, "Første bekymring om brugen af AI.")
    actions.answer_concern(actor=personas.med, concern=first, status="answered", answer=ANSWER)

    def grow():
        for i in range(4):
            concern = Concern.objects.create(
                municipality=personas.municipality, kind="oenske", unit=personas.centre, text=f"Ønske nummer {i}."
            )
            actions.answer_concern(actor=personas.med, concern=concern, status="answered", answer=ANSWER)

    assert_num_queries_stable(client_for("med"), CONCERNS, grow)
    assert_num_queries_stable(client_for("employee"), ANSWERED, grow)


def test_it_refuses_an_answer_with_personal_data(personas):
    concern = send(personas)
    with pytest.raises(ValidationError):
        actions.answer_concern(actor=personas.med, concern=concern, status="answered", answer="Ring til 0101901234")
    assert not ConcernAnswer.objects.exists()


def test_it_lists_the_concerns_still_waiting_for_an_answer_first(personas, client_for):
    waiting = send(personas, "Denne bekymring venter stadig på et svar.")
    answered = send(personas, "Denne bekymring har fået et svar.")
    actions.answer_concern(actor=personas.med, concern=answered, status="answered", answer=ANSWER)
    Concern.objects.filter(pk=waiting.pk).update(created_on=answered.created_on - datetime.timedelta(days=3))
    page = client_for("med").get(CONCERNS).content.decode()
    assert page.index("venter stadig på et svar") < page.index("har fået et svar")


def test_it_opens_the_form_only_for_the_concern_chosen(personas, client_for):
    """A form per concern was most of the page's time in a large municipality: the list shows
    the concerns and their answers, and one step opens the form of the one to answer."""
    first = send(personas, "Den første bekymring om AI.")
    second = send(personas, "Den anden bekymring om AI.")
    actions.answer_concern(actor=personas.med, concern=first, status="answered", answer=ANSWER)
    client = client_for("med")
    page = client.get(CONCERNS).content.decode()
    assert 'name="concern"' not in page and ANSWER in page
    assert f"svar={first.pk}" in page and f"svar={second.pk}" in page and 'hx-select="#bekymring-a"' in page
    opened = client.get(f"{CONCERNS}?svar={first.pk}").content.decode()
    assert opened.count('name="concern"') == 1 and f'value="{first.pk}"' in opened
    # The saved answer is in the form, and saving closes it again.
    assert ANSWER in opened.split('name="concern"')[1]
    prefix = opened.split('name="prefix" value="')[1].split('"')[0]
    response = client.post(f"{CONCERNS}?svar={first.pk}", _post(first, "answered", ANSWER + " Mere.", prefix))
    assert response.status_code == 302 and response["Location"] == CONCERNS


def test_it_shows_the_concerns_to_answer_a_page_at_a_time(personas, client_for):
    for i in range(TO_ANSWER_PER_PAGE + 3):
        Concern.objects.create(
            municipality=personas.municipality, kind="oenske", unit=personas.centre, text=f"Ønske {i}."
        )
    client = client_for("med")
    first = client.get(CONCERNS).content.decode()
    second = client.get(f"{CONCERNS}?side=2").content.decode()
    assert first.count('class="app-data-card"') == TO_ANSWER_PER_PAGE and second.count('class="app-data-card"') == 3
    assert "side=2&amp;svar=" in second
