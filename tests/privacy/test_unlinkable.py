"""The anonymity helper catches each way an anonymous item can be linked to its author.

Each test makes a Concern in a way that leaks, and checks that assert_unlinkable fails and says
why: a helper that could not fail would prove nothing about the real concern tests."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from forankring.core import audit
from forankring.core.models import Membership
from forankring.privacy.actions import submit_concern
from forankring.privacy.models import Concern
from forankring.privacy.testing import assert_unlinkable
from tests.factories import make_person

TEXT = "Vi mangler en klar regel for, hvornår man må bruge AI til mødereferater."


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def fails(match: str, **kwargs) -> None:
    with pytest.raises(AssertionError, match=match):
        assert_unlinkable(model=Concern, **kwargs)


def send(personas, text: str = TEXT) -> Concern:
    return submit_concern(actor=personas.employee, unit=personas.centre, kind="bekymring", text=text)


def test_it_passes_a_concern_made_the_proper_way(personas):
    assert_unlinkable(model=Concern, create=lambda: send(personas), person=personas.employee)


def test_it_catches_the_authors_name_in_the_text(personas):
    fails(
        "contains the person's name",
        create=lambda: send(personas, f"{TEXT} Hilsen Erik Medarbejder"),
        person=personas.employee,
    )


def test_it_catches_a_log_line_about_the_item(personas):
    def leaky():
        item = send(personas)
        logging.getLogger("forankring.privacy").debug("concern %s saved", item.pk)

    fails("a log record mentions the item", create=leaky, person=personas.employee)


def test_it_catches_a_log_line_about_the_author(personas):
    def leaky():
        send(personas)
        logging.getLogger("forankring.somewhere").info("posted by person_id=%s", personas.employee.pk)

    fails(r"a log record mentions the person \(person.pk", create=leaky, person=personas.employee)


def test_it_catches_an_audit_row_with_the_author(personas):
    def leaky():
        send(personas)
        with transaction.atomic():
            audit.record(municipality=personas.municipality, actor=personas.employee, action="concern.create")

    fails("has the person as actor", create=leaky, person=personas.employee)


def test_it_catches_an_audit_row_about_the_item_even_without_an_actor(personas):
    def leaky():
        item = send(personas)
        with transaction.atomic():
            audit.record(municipality=personas.municipality, actor=None, action="concern.create", obj=item)

    fails("is about the anonymous item", create=leaky, person=personas.employee)


def test_it_catches_a_receipt_by_email(personas):
    def leaky():
        send(personas)
        mail.send_mail(
            "Tak for din bekymring", "Vi har modtaget den.", "noreply@test.example", [personas.employee.email]
        )

    fails("an e-mail sent while creating mentions the person", create=leaky, person=personas.employee)


def test_it_catches_a_has_answered_row(personas):
    def leaky():
        send(personas)
        Membership.objects.create(municipality=personas.municipality, person=personas.employee, unit=personas.root)

    fails("a new core.Membership row refers to the person", create=leaky, person=personas.employee)


def test_it_catches_the_item_id_in_the_authors_session(personas, client_for):
    client = client_for("employee")

    def leaky():
        item = send(personas)
        session = client.session
        session["last_concern"] = str(item.pk)
        session.save()

    fails("the person's session holds the item's id", create=leaky, person=personas.employee, client=client)


def test_it_catches_a_page_that_shows_the_item_with_the_author(personas, client_for):
    # The centre chief writes about the centre and then looks at the list as themself: the
    # header names them next to their concern. That is why pages are fetched as someone else.
    chief = client_for("centre_chief")
    make_person(personas.municipality, "Ekstra kollega", unit=personas.centre)

    def create():
        submit_concern(actor=personas.centre_chief, unit=personas.centre, kind="oenske", text=TEXT)

    fails(
        "shows the item together with the person",
        create=create,
        person=personas.centre_chief,
        extra_urls=[(chief, reverse("privacy:concern_list"))],
    )


def test_it_catches_a_time_of_day_and_an_author_key_on_the_row(personas):
    # A model that breaks the rules, checked through the same row check: the author's pk in
    # an innocent-looking integer column, and a timestamp written into the text.
    def leaky():
        item = send(personas)
        Concern.objects.filter(pk=item.pk).update(shuffle_key=personas.employee.pk, text=f"{TEXT} 2026-03-12 14:05")

    fails(
        r"(?s)shuffle_key equals the person's person.pk.*contains a time of day", create=leaky, person=personas.employee
    )


def test_it_insists_that_something_was_made(personas):
    fails("made no new", create=lambda: None, person=personas.employee)
