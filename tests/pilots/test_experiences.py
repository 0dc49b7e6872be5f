"""AI-erfaringer: named or anonymous per post, a feed per professional area, and the gentle
monthly reminder."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent, Person, ProfessionalArea
from forankring.notifications.models import Notification
from forankring.pilots import actions_sharing
from forankring.pilots.models import AnonymousExperience, Experience, ExperienceReminder
from forankring.privacy.testing import assert_unlinkable
from tests.factories import make_person
from tests.pilots.factories_sharing import area_of, fill_area, make_anonymous_experience, make_experience


def _form(client, url="/afproevning/erfaringer/ny/"):
    return client.get(url).context["form"]["submission_token"].value()


def test_it_shares_a_named_experience_with_the_author_and_an_audit_row(client_for, personas):
    client = client_for("employee")
    area = area_of(personas.municipality)
    response = client.post(
        reverse("pilots:experience_new"),
        {
            "submission_token": _form(client),
            "area": area.pk,
            "title": "Kortere breve",
            "text": "Jeg beder om fem linjer.",
        },
    )
    assert response.status_code == 302
    post = Experience.objects.get()
    assert post.author == personas.employee
    assert AuditEvent.objects.filter(action="pilots.experience.share", actor=personas.employee).count() == 1
    feed = client_for("med").get(reverse("pilots:experiences")).content.decode()
    assert "Kortere breve" in feed and personas.employee.name in feed


def test_it_stores_nothing_that_links_an_anonymous_experience_to_its_writer(client_for, personas):
    writer = make_person(personas.municipality, "Vibeke Skribent", unit=personas.team, username="writer")
    client = client_for("employee")
    client.force_login(writer.user)
    area = fill_area(personas.municipality, personas.team)
    token = _form(client)

    def create():
        response = client.post(
            reverse("pilots:experience_new"),
            {
                "submission_token": token,
                "area": area.pk,
                "title": "Det virkede ikke",
                "text": "Resuméet udelod det vigtigste.",
                "anonymous": "on",
            },
        )
        assert response.status_code == 302

    item = assert_unlinkable(
        model=AnonymousExperience,
        create=create,
        person=writer,
        client=client,
        extra_urls=[(client_for("med"), reverse("pilots:experiences"))],
    )
    assert item.title == "Det virkede ikke"
    assert not Experience.objects.exists()


def test_it_stops_an_anonymous_post_once_that_names_a_colleague(client_for, personas):
    client = client_for("employee")
    area = fill_area(personas.municipality, personas.team)
    data = {
        "submission_token": _form(client),
        "area": area.pk,
        "title": "Referat",
        "text": f"{personas.team_leader.name} syntes ikke om det.",
        "anonymous": "on",
    }
    response = client.post(reverse("pilots:experience_new"), data)
    assert response.status_code == 400
    assert not AnonymousExperience.objects.exists()
    assert "Det er ikke en person" in response.content.decode()


def test_it_shows_a_feed_per_professional_area_and_one_for_all(client_for, personas):
    other_area = ProfessionalArea.objects.create(municipality=personas.municipality, name="Ældre og sundhed")
    make_experience(personas.employee, title="Om dagtilbud")
    anonymous = make_anonymous_experience(personas.municipality, title="Om ældreplejen")
    AnonymousExperience.objects.filter(pk=anonymous.pk).update(area=other_area)
    client = client_for("lighthouse")
    every = client.get(reverse("pilots:experiences")).content.decode()
    assert "Om dagtilbud" in every and "Om ældreplejen" in every
    one = client.get(reverse("pilots:experiences"), {"fagomraade": other_area.pk}).content.decode()
    assert "Om ældreplejen" in one and "Om dagtilbud" not in one
    foreign = ProfessionalArea.objects.create(municipality=personas.other_municipality, name="Dagtilbud")
    assert client.get(reverse("pilots:experiences"), {"fagomraade": foreign.pk}).status_code == 404


def test_it_lets_the_author_take_down_a_named_post_and_only_an_admin_an_anonymous_one(client_for, personas):
    post = make_experience(personas.employee)
    anonymous = make_anonymous_experience(personas.municipality)
    assert client_for("med").post(reverse("pilots:experience_take_down", args=[post.pk])).status_code == 404
    url = reverse("pilots:anonymous_experience_take_down", args=[anonymous.pk])
    assert client_for("employee").post(url).status_code == 404
    assert client_for("employee").post(reverse("pilots:experience_take_down", args=[post.pk])).status_code == 302
    assert client_for("admin").post(url).status_code == 302
    assert not Experience.objects.exists() and not AnonymousExperience.objects.exists()


def test_it_lists_experiences_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    make_experience(personas.employee)
    make_anonymous_experience(personas.municipality)

    def grow():
        for n in range(5):
            make_experience(personas.team_leader, title=f"Erfaring {n}")
            make_anonymous_experience(personas.municipality, title=f"Anonym {n}")

    assert_num_queries_stable(client_for("employee"), reverse("pilots:experiences"), grow=grow)


def test_it_reminds_every_active_person_once_a_month(personas):
    now = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    sent = actions_sharing.send_experience_reminders(now=now)
    active = Person.objects.filter(municipality=personas.municipality, is_active=True).count()
    assert sent[personas.municipality.slug] == active
    assert Notification.objects.filter(kind="experience.reminder", recipient=personas.employee).count() == 1
    # Again the same month: nothing; the next month: once more.
    assert actions_sharing.send_experience_reminders(now=now + datetime.timedelta(days=20)) == {}
    assert Notification.objects.filter(kind="experience.reminder").count() == active + 1  # the outsider too
    actions_sharing.send_experience_reminders(now=now + datetime.timedelta(days=30))
    assert Notification.objects.filter(kind="experience.reminder", recipient=personas.employee).count() == 2
    assert ExperienceReminder.objects.filter(municipality=personas.municipality).count() == 2
    assert AuditEvent.objects.filter(action="pilots.experience.remind").count() == 4


def test_it_reminds_in_bulk_without_a_query_per_person(personas):
    now = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    with CaptureQueriesContext(connection) as small:
        actions_sharing.send_experience_reminders(now=now)
    for n in range(40):
        make_person(personas.municipality, f"Ny Person {n}", unit=personas.team)
    with CaptureQueriesContext(connection) as large:
        actions_sharing.send_experience_reminders(now=now + datetime.timedelta(days=31))
    assert len(large) == len(small)


@pytest.mark.parametrize("days", [0, 40])
def test_it_puts_the_reminder_in_the_notification_list_in_plain_words(client_for, personas, days):
    actions_sharing.send_experience_reminders(now=timezone.now() + datetime.timedelta(days=days))
    html = client_for("employee").get(reverse("notifications:list")).content.decode()
    assert "har du en erfaring med AI, du vil dele med kollegerne?" in html


def test_it_runs_the_reminder_as_a_command_that_is_safe_to_repeat(personas):
    import io

    from django.core.management import call_command

    first, second = io.StringIO(), io.StringIO()
    call_command("remind_experiences", stdout=first)
    call_command("remind_experiences", stdout=second)
    assert f"{personas.municipality.slug}: " in first.getvalue()
    assert "no municipality is due this month" in second.getvalue()
    assert Notification.objects.filter(kind="experience.reminder", recipient=personas.employee).count() == 1


def test_it_refuses_an_anonymous_post_in_an_area_too_small_to_hide_in(personas):
    small = ProfessionalArea.objects.create(municipality=personas.municipality, name="Tandpleje")
    with pytest.raises(ValidationError) as refused:
        actions_sharing.share_experience(
            actor=personas.employee, area=small, title="Et forsøg", text="Det hjalp.", anonymous=True
        )
    assert "area" in refused.value.message_dict
    assert not AnonymousExperience.objects.exists()
    # With a name it is fine: nothing is hidden.
    actions_sharing.share_experience(actor=personas.employee, area=small, title="Et forsøg", text="Det hjalp.")
    assert Experience.objects.count() == 1
