"""The demo municipalities: "Eksempel Kommune" (about 800 staff) and the small "Nabo Kommune".

Everything is fictional and deterministic: the same seed gives the same names, units and
people every time, so screenshots, tests and benchmarks can rely on it. Names are drawn from
common Danish first and last names; no real person is described.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from forankring.privacy.data_classes import ensure_default_data_classes

from . import audit, tracks
from .models import Membership, Municipality, Person, ProfessionalArea, Role, RoleAssignment, Unit
from .orgsync import refresh_head_counts

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo password, only ever set by load_demo

FIRST_NAMES = [
    "Anne",
    "Mette",
    "Hanne",
    "Susanne",
    "Lene",
    "Maria",
    "Marianne",
    "Camilla",
    "Louise",
    "Charlotte",
    "Pia",
    "Tina",
    "Helle",
    "Karina",
    "Sofie",
    "Ida",
    "Emma",
    "Julie",
    "Signe",
    "Nanna",
    "Line",
    "Malene",
    "Birgitte",
    "Lone",
    "Dorte",
    "Jette",
    "Gitte",
    "Kirsten",
    "Rikke",
    "Trine",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Jan",
    "Niels",
    "Anders",
    "Rasmus",
    "Morten",
    "Martin",
    "Jesper",
    "Christian",
    "Kasper",
    "Mads",
    "Jonas",
    "Simon",
    "Frederik",
    "Mikkel",
    "Torben",
    "Ole",
    "Bo",
    "Kim",
    "Per",
    "Allan",
    "Brian",
    "Carsten",
    "Steen",
    "Ali",
    "Fatima",
    "Yasmin",
    "Omar",
    "Amira",
    "Ahmad",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Knudsen",
    "Jakobsen",
    "Mikkelsen",
    "Olesen",
    "Frederiksen",
    "Laursen",
    "Henriksen",
    "Lund",
    "Schmidt",
    "Eriksen",
    "Holm",
    "Kristiansen",
    "Clausen",
    "Simonsen",
    "Svendsen",
    "Andreasen",
    "Iversen",
    "Jeppesen",
    "Vestergaard",
    "Mogensen",
    "Nissen",
    "Lauridsen",
    "Kjær",
    "Dam",
    "Bach",
    "Munk",
    "Skov",
    "Juhl",
    "Friis",
    "Søndergaard",
]

# Centre -> professional area -> institutions -> teams. Four institutions per centre and three
# teams per institution give the 5 / 20 / 60 the demo promises.
CENTRES: list[tuple[str, str, list[tuple[str, list[str]]]]] = [
    (
        "Center for Dagtilbud og Skole",
        "Dagtilbud",
        [
            ("Børnehuset Solsikken", ["Team Myretuen", "Team Bikuben", "Team Vuggestuen"]),
            ("Dagplejen Nord", ["Dagplejegruppe Vest", "Dagplejegruppe Øst", "Legestuen"]),
            ("Eksempel Skole", ["Indskolingen", "Mellemtrinnet", "Udskolingen"]),
            ("Skovbørnehaven Egely", ["Team Egern", "Team Grævling", "Team Ugle"]),
        ],
    ),
    (
        "Center for Sundhed og Ældre",
        "Ældre og sundhed",
        [
            ("Plejecenter Lindely", ["Afsnit A", "Afsnit B", "Nattevagten"]),
            ("Hjemmeplejen Syd", ["Distrikt Havnen", "Distrikt Bakken", "Aftenvagten"]),
            ("Træning og Rehabilitering", ["Genoptræning", "Hjælpemidler", "Hverdagsrehabilitering"]),
            ("Sundhedshuset", ["Sygeplejen", "Forebyggelse", "Visitationen"]),
        ],
    ),
    (
        "Center for Social og Beskæftigelse",
        "Social og beskæftigelse",
        [
            ("Jobcentret", ["Team Ledige", "Team Sygedagpenge", "Team Unge"]),
            ("Familieafdelingen", ["Myndighed Børn", "Forebyggelse Familie", "Plejefamilier"]),
            ("Voksenhandicap", ["Myndighed Voksen", "Bostøtten", "Botilbuddet Engen"]),
            ("Borgerservice", ["Ydelser", "Pas og kørekort", "Boligstøtte"]),
        ],
    ),
    (
        "Center for Teknik og Miljø",
        "Teknik og miljø",
        [
            ("Byg og Plan", ["Byggesager", "Lokalplaner", "Landzone"]),
            ("Natur og Miljø", ["Naturteamet", "Miljøtilsyn", "Vand"]),
            ("Vej og Park", ["Vejteamet", "Parkteamet", "Vinterberedskab"]),
            ("Ejendomme", ["Drift", "Rengøring", "Energi"]),
        ],
    ),
    (
        "Center for Økonomi, HR og Digitalisering",
        "Administration",
        [
            ("Økonomi", ["Budget", "Regnskab", "Indkøb"]),
            ("HR og Løn", ["Løn", "Rekruttering", "Arbejdsmiljø"]),
            ("IT og Digitalisering", ["IT-drift", "Digitalisering", "Informationssikkerhed"]),
            ("Sekretariatet", ["Politisk sekretariat", "Kommunikation", "Jura"]),
        ],
    ),
]

PROFESSIONAL_AREAS = ["Dagtilbud", "Ældre og sundhed", "Social og beskæftigelse", "Teknik og miljø", "Administration"]

JOB_TITLES = {
    "Dagtilbud": ["Pædagog", "Pædagogmedhjælper", "Dagplejer", "Lærer", "Pædagogisk assistent"],
    "Ældre og sundhed": [
        "Social- og sundhedshjælper",
        "Social- og sundhedsassistent",
        "Sygeplejerske",
        "Fysioterapeut",
    ],
    "Social og beskæftigelse": ["Socialrådgiver", "Jobkonsulent", "Sagsbehandler", "Pædagog"],
    "Teknik og miljø": ["Byggesagsbehandler", "Miljømedarbejder", "Vejarbejder", "Ingeniør", "Gartner"],
    "Administration": ["Administrativ medarbejder", "Konsulent", "Økonom", "IT-medarbejder", "Jurist"],
}

TEAM_SIZE = 13  # 60 teams x 13 + leaders and staff functions is about 800 people


@dataclass
class DemoResult:
    municipalities: list[Municipality]
    people: int
    logins: list[str]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


class _Builder:
    def __init__(self, municipality: Municipality, rng: random.Random) -> None:
        self.m = municipality
        self.rng = rng
        self.next_employee = 1000
        self.people: list[Person] = []
        self.memberships: list[Membership] = []
        self.roles: list[RoleAssignment] = []
        self.areas: dict[str, ProfessionalArea] = {}

    def unit(self, name: str, parent: Unit | None) -> Unit:
        return Unit.objects.create_in_tree(municipality=self.m, name=name, parent=parent)

    def person(self, unit: Unit, *, area: str, title: str, leader: bool = False, name: str | None = None) -> Person:
        self.next_employee += 1
        full_name = name or _name(self.rng)
        person = Person(
            municipality=self.m,
            employee_id=f"{self.m.slug[:3].upper()}{self.next_employee}",
            name=full_name,
            email=f"{full_name.lower().replace(' ', '.')}.{self.next_employee}@{self.m.slug}.example",
        )
        self.people.append(person)
        self.memberships.append(
            Membership(
                municipality=self.m,
                person=person,
                unit=unit,
                job_title=title,
                professional_area=self.areas.get(area),
                is_leader=leader,
            )
        )
        self.roles.append(
            RoleAssignment(
                municipality=self.m, person=person, role=Role.EMPLOYEE, unit=unit, source=RoleAssignment.Source.IMPORT
            )
        )
        if leader:
            self.roles.append(
                RoleAssignment(
                    municipality=self.m, person=person, role=Role.LEADER, unit=unit, source=RoleAssignment.Source.IMPORT
                )
            )
        return person

    def grant(self, person: Person, role: Role, unit: Unit) -> None:
        self.roles.append(
            RoleAssignment(
                municipality=self.m, person=person, role=role, unit=unit, source=RoleAssignment.Source.MANUAL
            )
        )

    def save(self) -> None:
        Person.objects.bulk_create(self.people, batch_size=500)
        Membership.objects.bulk_create(self.memberships, batch_size=500)
        RoleAssignment.objects.bulk_create(self.roles, batch_size=500)


def _login(username: str, person: Person, password_hash: str) -> None:
    User = get_user_model()
    first, _, last = person.name.partition(" ")
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
    user.password = password_hash
    user.email = person.email
    user.save()
    person.user = user
    person.save(update_fields=["user"])


@transaction.atomic
def load_demo(seed: int = 2026) -> DemoResult:
    rng = random.Random(seed)
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: the same hash serves every demo login

    eks = Municipality.objects.create(
        name="Eksempel Kommune",
        slug="eksempel",
        accessibility_statement_url="https://was.digst.dk/eksempel-kommune-forankring",
    )
    b = _Builder(eks, rng)
    for area in PROFESSIONAL_AREAS:
        b.areas[area] = ProfessionalArea.objects.create(municipality=eks, name=area)
    root = b.unit("Direktionen", None)
    director = b.person(root, area="Administration", title="Kommunaldirektør", leader=True, name="Karen Vestergaard")
    b.person(root, area="Administration", title="Direktør", leader=True)
    b.person(root, area="Administration", title="Direktør", leader=True)
    b.grant(director, Role.EXECUTIVE, root)
    logins: dict[str, Person] = {"direktion": director}

    for c_index, (centre_name, area, institutions) in enumerate(CENTRES):
        centre = b.unit(centre_name, root)
        chief = b.person(centre, area=area, title="Centerchef", leader=True)
        if c_index == 0:
            logins["centerchef"] = chief
        for i_index, (institution_name, teams) in enumerate(institutions):
            institution = b.unit(institution_name, centre)
            b.person(institution, area=area, title="Institutionsleder", leader=True)
            for t_index, team_name in enumerate(teams):
                team = b.unit(team_name, institution)
                team_leader = b.person(team, area=area, title="Teamleder", leader=True)
                staff = [b.person(team, area=area, title=rng.choice(JOB_TITLES[area])) for _ in range(TEAM_SIZE - 1)]
                if (c_index, i_index, t_index) == (0, 0, 0):
                    logins["teamleder"] = team_leader
                    logins["medarbejder"] = staff[0]
                    logins["fyrtaarn"] = staff[1]
                    b.grant(staff[1], Role.LIGHTHOUSE, institution)
                if (c_index, i_index, t_index) == (4, 2, 0):
                    logins["it"] = staff[0]
                    b.grant(staff[0], Role.IT, root)
                if (c_index, i_index, t_index) == (4, 1, 2):
                    logins["med"] = staff[0]
                    b.grant(staff[0], Role.MED, root)
                    logins["admin"] = staff[1]
                    b.grant(staff[1], Role.ADMIN, root)

    # An external workshop facilitator: not on the payroll, so no unit membership and no
    # employee number, but a facilitator role over the whole municipality.
    facilitator = Person(municipality=eks, name="Birgit Kobberup", email="birgit.kobberup@konsulent.example")
    b.people.append(facilitator)
    b.grant(facilitator, Role.FACILITATOR, root)
    logins["facilitator"] = facilitator
    b.save()

    nabo = Municipality.objects.create(name="Nabo Kommune", slug="nabo")
    n = _Builder(nabo, rng)
    n.areas["Administration"] = ProfessionalArea.objects.create(municipality=nabo, name="Administration")
    n.areas["Dagtilbud"] = ProfessionalArea.objects.create(municipality=nabo, name="Dagtilbud")
    n_root = n.unit("Direktionen", None)
    n.person(n_root, area="Administration", title="Kommunaldirektør", leader=True)
    outsider = None
    for centre_name, area in (
        ("Center for Børn og Læring", "Dagtilbud"),
        ("Center for Administration", "Administration"),
    ):
        centre = n.unit(centre_name, n_root)
        n.person(centre, area=area, title="Centerchef", leader=True)
        for inst in ("Nord", "Syd"):
            institution = n.unit(f"{centre_name.split(' for ')[1]} {inst}", centre)
            team = n.unit(f"Team {inst}", institution)
            n.person(team, area=area, title="Teamleder", leader=True)
            for _ in range(5):
                person = n.person(team, area=area, title=rng.choice(JOB_TITLES[area]))
                if outsider is None and area == "Administration":
                    outsider = person
                    n.grant(person, Role.ADMIN, n_root)
    facilitator_nabo = Person(municipality=nabo, name="Birgit Kobberup", email="birgit.kobberup@konsulent.example")
    n.people.append(facilitator_nabo)
    n.grant(facilitator_nabo, Role.FACILITATOR, n_root)
    n.save()

    for username, person in logins.items():
        _login(username, person, password_hash)
    assert outsider is not None
    _login("udefra", outsider, password_hash)
    facilitator_nabo.user = facilitator.user
    facilitator_nabo.save(update_fields=["user"])

    for m in (eks, nabo):
        refresh_head_counts(m.pk)
        ensure_default_data_classes(m)
    # Each track's example content (registered in its AppConfig.ready(); core imports no track).
    tracks.load_demos(eks, dict(logins))
    for m in (eks, nabo):
        audit.record(municipality=m, actor=None, action="demo.load", obj=m, changes={"seed": seed})
    total = Person.objects.filter(municipality__in=[eks, nabo]).count()
    return DemoResult(municipalities=[eks, nabo], people=total, logins=[*logins, "udefra"])
