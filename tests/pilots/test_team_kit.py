"""Track 4's sections of the team's meeting kit: the team's running pilots and new learnings from
similar teams (pilots/team_kit.py, registered with core.tracks.register_team_kit_section)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from forankring.core.models import ProfessionalArea
from forankring.pilots.models import LearningCard, Pilot
from forankring.pilots.team_kit import KIT_LEARNINGS
from tests.factories import Personas, make_unit, make_use_case
from tests.pilots.factories_sharing import make_card
from tests.pilots.helpers_core import make_pilot


def _kit(client_for, personas: Personas, who: str = "employee") -> str:
    response = client_for(who).get(reverse("practice:team_kit", args=[personas.team.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, heading: str) -> str:
    """The part of the page from a section's heading to the next heading."""
    start = page.index(f"<h2>{heading}</h2>")
    end = page.find("<h2>", start + 4)
    return page[start : end if end > 0 else None]


def test_it_lists_the_running_pilots_of_the_team_and_of_the_units_above_and_below_it(personas, client_for):
    m, lead = personas.municipality, personas.team_leader
    corner = make_unit(m, "Team Sol, vuggestuegruppen", personas.team)
    make_pilot(m, leader=lead, units=[personas.team], title="Ugeplaner i Team Sol", status=Pilot.Status.RUNNING)
    whole = make_pilot(
        m, leader=lead, units=[personas.institution], title="Forældrebreve i huset", status=Pilot.Status.RUNNING
    )
    part = make_pilot(m, leader=lead, units=[corner], title="Sange til vuggestuen", status=Pilot.Status.RUNNING)
    make_pilot(m, leader=lead, units=[personas.other_team], title="Team Månes afprøvning", status=Pilot.Status.RUNNING)
    make_pilot(m, leader=lead, units=[personas.team], title="Kun en idé endnu", status=Pilot.Status.IDEA)
    make_pilot(m, leader=lead, units=[personas.team], title="Afsluttet for længst", status=Pilot.Status.CLOSED)

    section = _section(_kit(client_for, personas), "Afprøvninger i gang")

    assert "Ugeplaner i Team Sol" in section and "Forældrebreve i huset" in section
    assert "Sange til vuggestuen" in section
    assert "Team Månes afprøvning" not in section
    assert "Kun en idé endnu" not in section and "Afsluttet for længst" not in section
    # Only the pilot below the team is marked as one part of the team takes part in.
    assert section.count("En del af teamet deltager.") == 1
    assert section.index("Sange til vuggestuen") > section.index("Forældrebreve i huset")
    # A link to the pilot and to its pulse, and the way to the pulse written out for paper.
    assert reverse("pilots:detail", args=[whole.pk]) in section
    assert reverse("pilots:pulse", args=[whole.pk]) in section
    assert reverse("pilots:detail", args=[part.pk]) in section
    assert reverse("pilots:pulse", args=[part.pk]) not in section  # not everyone may answer it
    assert "Sådan giver I ugens puls:" in section


def _card(personas: Personas, title: str, *, unit=None, weeks_ago: float = 1) -> LearningCard:
    card = make_card(personas.team_leader, unit or personas.other_team, title=title)
    LearningCard.objects.filter(pk=card.pk).update(published_at=timezone.now() - datetime.timedelta(weeks=weeks_ago))
    return card


def test_it_shows_new_learnings_from_similar_teams_newest_first(personas, client_for):
    m = personas.municipality
    newest = _card(personas, "Nyeste læring", weeks_ago=0.5)
    _card(personas, "Næstnyeste læring", weeks_ago=1)
    _card(personas, "Tredje læring", weeks_ago=2)
    _card(personas, "Fjerde læring", weeks_ago=3)  # one more than the kit shows
    _card(personas, "For gammel læring", weeks_ago=9)
    _card(personas, "Teamets egen læring", unit=personas.team)  # the team's own pilot: not news from others
    # A pilot in another professional area, of a use case the team has nothing to do with.
    elsewhere = make_use_case(m, title="Skema i skolen", unit=personas.other_team)
    elsewhere.area = ProfessionalArea.objects.create(municipality=m, name="Skole")
    elsewhere.save(update_fields=["area"])
    other_area = _card(personas, "Læring fra skolen")
    Pilot.objects.filter(pk=other_area.pilot_id).update(use_case=elsewhere)

    section = _section(_kit(client_for, personas), "Ny læring fra lignende teams")

    shown = [t for t in ("Nyeste læring", "Næstnyeste læring", "Tredje læring") if t in section]
    assert len(shown) == KIT_LEARNINGS
    assert section.index("Nyeste læring") < section.index("Næstnyeste læring") < section.index("Tredje læring")
    for hidden in ("Fjerde læring", "For gammel læring", "Teamets egen læring", "Læring fra skolen"):
        assert hidden not in section
    assert reverse("pilots:card", args=[newest.pk]) in section
    assert "Det lærte de:" in section


def test_it_shows_learnings_of_a_use_case_the_team_owns_in_another_area(personas, client_for):
    m = personas.municipality
    owned = make_use_case(m, title="Skema til udflugter", unit=personas.team)
    owned.area = ProfessionalArea.objects.create(municipality=m, name="Skole")
    owned.save(update_fields=["area"])
    card = _card(personas, "Udflugtsskema i Team Måne")
    Pilot.objects.filter(pk=card.pilot_id).update(use_case=owned)

    assert "Udflugtsskema i Team Måne" in _section(_kit(client_for, personas), "Ny læring fra lignende teams")


def test_it_leaves_the_sections_out_when_the_team_has_nothing_in_them(personas, client_for):
    page = _kit(client_for, personas)
    assert "Afprøvninger i gang" not in page and "Ny læring fra lignende teams" not in page
    assert "Spørgsmål at tale om" in page  # the kit itself is still there


def test_it_shows_nothing_from_another_municipality(personas, client_for):
    other, outsider = personas.other_municipality, personas.outsider
    make_pilot(other, leader=outsider, units=[personas.other_root], status=Pilot.Status.RUNNING)
    make_card(outsider, personas.other_root)  # same area name "Dagtilbud" there
    page = _kit(client_for, personas)
    assert "Andenkommune" not in page
    assert "Afprøvninger i gang" not in page and "Ny læring fra lignende teams" not in page


def test_it_builds_the_kit_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    m, lead = personas.municipality, personas.team_leader
    make_pilot(m, leader=lead, units=[personas.team], title="Første", status=Pilot.Status.RUNNING)
    _card(personas, "Første læring")

    def grow() -> None:
        for n in range(6):
            make_pilot(m, leader=lead, units=[personas.institution], title=f"Flere {n}", status=Pilot.Status.RUNNING)
            _card(personas, f"Mere læring {n}")

    assert_num_queries_stable(
        client_for("team_leader"), reverse("practice:team_kit", args=[personas.team.pk]), grow=grow
    )


def test_it_fills_the_demo_team_leaders_kit_with_a_pilot_and_a_learning_from_another_team(db):
    from django.test import Client

    from forankring.core.demo import load_demo
    from forankring.core.models import Person
    from forankring.practice.queries import my_teams

    load_demo()
    leader = Person.objects.get(user__username="teamleder")
    assert leader.user is not None
    client = Client()
    client.force_login(leader.user)
    team = my_teams(leader)[0]
    page = client.get(reverse("practice:team_kit", args=[team.pk])).content.decode()
    assert "Ugeplaner med billeder i Team Egern" in _section(page, "Ny læring fra lignende teams")
    assert "Sådan giver I ugens puls:" in _section(page, "Afprøvninger i gang")
