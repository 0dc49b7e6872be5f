"""One-time submission tokens: a repeated post of a create form creates nothing more."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from forankring.core.models import Person, RoleAssignment, SubmissionToken
from forankring.privacy.models import Concern

NEW_CONCERN = reverse("privacy:concern_new")
TEXT = "Jeg er i tvivl om, hvilke værktøjer vi må bruge til mødereferater."


def token_in(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    found = re.search(r'name="submission_token" value="([^"]+)"', html)
    assert found, "the form carries no submission token"
    return found.group(1)


def person_url(person: Person) -> str:
    return reverse("core:admin_person", args=[person.pk])


def test_a_repeated_role_grant_leads_to_the_first_result_and_grants_nothing_more(client_for, personas):
    admin = client_for("admin")
    url = person_url(personas.employee)
    token = token_in(admin, url)
    form = {"role": "it", "unit": personas.root.pk, "submission_token": token}
    before = RoleAssignment.objects.filter(person=personas.employee).count()

    first = admin.post(url, form)
    assert first.status_code == 302
    assert first["Location"] == url
    repeat = admin.post(url, form, follow=True)
    assert repeat.redirect_chain == [(url, 302)]
    assert "Formularen var allerede sendt, så den er ikke sendt igen." in repeat.content.decode()
    assert RoleAssignment.objects.filter(person=personas.employee).count() == before + 1
    assert SubmissionToken.objects.get().result_url == url


def test_a_fresh_form_gets_a_fresh_token(client_for, personas):
    admin = client_for("admin")
    url = person_url(personas.employee)
    assert token_in(admin, url) != token_in(admin, url)


def test_a_refused_post_keeps_its_token_so_the_corrected_form_goes_through(client_for, personas):
    admin = client_for("admin")
    url = person_url(personas.employee)
    token = token_in(admin, url)
    refused = admin.post(url, {"role": "it", "unit": "", "submission_token": token})
    assert refused.status_code == 200
    assert f'value="{token}"' in refused.content.decode()  # the same submission, shown again
    assert not SubmissionToken.objects.exists()
    assert admin.post(url, {"role": "it", "unit": personas.root.pk, "submission_token": token}).status_code == 302
    assert RoleAssignment.objects.filter(person=personas.employee, role="it").count() == 1


def test_an_anonymous_concern_sent_twice_is_saved_once_and_its_token_ties_it_to_nothing(client_for, personas):
    employee = client_for("employee")
    token = token_in(employee, NEW_CONCERN)
    form = {"kind": "bekymring", "unit": personas.centre.pk, "text": TEXT, "submission_token": token}
    assert employee.post(NEW_CONCERN, form).status_code == 302
    repeat = employee.post(NEW_CONCERN, form, follow=True)
    assert "Formularen var allerede sendt" in repeat.content.decode()
    assert Concern.objects.count() == 1
    spent = SubmissionToken.objects.get()
    assert spent.result_url == ""  # nothing that points at the item
    assert spent.expires_on.weekday() == 0  # only the week, not the day it was sent
    assert token not in spent.token_hash


def test_an_anonymous_concern_that_is_refused_gives_its_token_back(client_for, personas):
    employee = client_for("employee")
    token = token_in(employee, NEW_CONCERN)
    refused = employee.post(
        NEW_CONCERN,
        {"kind": "bekymring", "unit": personas.centre.pk, "text": "cpr 070761-4285", "submission_token": token},
    )
    assert refused.status_code == 200
    assert not SubmissionToken.objects.exists()
    form = {"kind": "bekymring", "unit": personas.centre.pk, "text": TEXT, "submission_token": token}
    assert employee.post(NEW_CONCERN, form).status_code == 302
    assert Concern.objects.count() == 1


def test_a_token_is_spent_per_municipality_and_expired_ones_are_cleared(client_for, personas):
    old = SubmissionToken.objects.create(
        municipality=personas.municipality, token_hash="0" * 64, expires_on=datetime.date(2020, 1, 6)
    )
    admin = client_for("admin")
    url = person_url(personas.employee)
    token = token_in(admin, url)
    admin.post(url, {"role": "it", "unit": personas.root.pk, "submission_token": token})
    assert not SubmissionToken.objects.filter(pk=old.pk).exists()
    # The outsider's municipality has its own tokens: the same value is not spent there.
    outsider = client_for("outsider")
    response = outsider.post(
        person_url(personas.outsider), {"role": "it", "unit": personas.other_root.pk, "submission_token": token}
    )
    assert response.status_code == 302
    assert SubmissionToken.objects.count() == 2


def test_a_malformed_token_is_refused_with_a_danish_message(client_for, personas):
    admin = client_for("admin")
    url = person_url(personas.employee)
    response = admin.post(url, {"role": "it", "unit": personas.root.pk, "submission_token": "<script>"})
    assert response.status_code == 200
    assert "Formularen er ugyldig. Genindlæs siden, og prøv igen." in response.content.decode()
    assert not RoleAssignment.objects.filter(person=personas.employee, role="it").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL's row locks")
def test_two_posts_at_the_same_moment_grant_the_role_once(transactional_db, client_for, personas):
    admin = client_for("admin")
    url = person_url(personas.employee)
    token = token_in(admin, url)
    form = {"role": "it", "unit": personas.root.pk, "submission_token": token}
    start = threading.Barrier(2)
    answers: list[int] = []

    def post() -> None:
        client = Client()
        client.cookies = admin.cookies
        start.wait()
        try:
            answers.append(client.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [302, 302]
    assert RoleAssignment.objects.filter(person=personas.employee, role="it").count() == 1
    assert SubmissionToken.objects.count() == 1
