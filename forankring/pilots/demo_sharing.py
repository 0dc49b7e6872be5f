"""Example learning cards, experiences and celebrations for "Eksempel Kommune".

The cards need closed pilots, so this module makes six of its own (titles no other part uses):
two scaled, two adjusted and two stopped, one of them the speech-recognition pilot on a
residential home that did not work. Written straight to the tables inside load_demo's
transaction; the texts are fictional, in the project's own words."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Unit
from forankring.practice.models import UseCase

from .actions_sharing import receipt_key
from .models import (
    AnonymousExperience,
    Celebration,
    CelebrationReceipt,
    Experience,
    LearningCard,
    Pilot,
    PilotStatusChange,
)

# (pilot title, use case title, teams, decision, weeks ago it ended, goal, tried, learned, advice)
CARDS = [
    (
        "Talegenkendelse til dagbogsnotater i Botilbuddet Engen",
        "Dagbogsnotater på botilbud",
        ["Botilbuddet Engen"],
        Pilot.Decision.STOP,
        3,
        "Mindre tid ved computeren efter aftenvagten, så notaterne ikke skrives i overarbejde.",
        "Seks medarbejdere talte deres dagbogsnotater ind på en telefon i fire uger, og værktøjet lavede "
        "et udkast, som de rettede til før det blev gemt i fagsystemet.",
        "Det virkede ikke hos os. Værktøjet forstod dårligt vores faglige ord og beboernes kælenavne, og "
        "rettelserne tog længere tid end at skrive selv. Fællesarealerne var for larmende til at tale ind, "
        "og flere var utrygge ved at sige noget fortroligt højt. Vi lærte, at en skabelon med faste "
        "overskrifter sparede mere tid end talegenkendelsen – den har vi beholdt.",
        "Prøv først i et stille rum og med en lille ordliste. Tal med MED om, hvor det er rart at tale ind.",
    ),
    (
        "Udkast til stillingsopslag i Rekruttering",
        "Lave udkast til stillingsopslag",
        ["Rekruttering"],
        Pilot.Decision.STOP,
        9,
        "Hurtigere første udkast til stillingsopslag, så lederne bruger tiden på det, der er særligt ved jobbet.",
        "Rekrutteringsteamet lavede otte opslag med et AI-udkast ud fra opgavebeskrivelsen og vores skabelon.",
        "Udkastene lød ens og generiske, og lederne brugte tiden på at skrive kommunens egen stemme tilbage. "
        "Gevinsten var for lille til at fortsætte. Til gengæld blev vores skabelon meget bedre af øvelsen.",
        "Brug tiden på en god skabelon med eksempler fra jeres egne bedste opslag.",
    ),
    (
        "AI til referater af møder i Sekretariatet",
        "Skrive referat af teammøder",
        ["Politisk sekretariat", "Kommunikation"],
        Pilot.Decision.SCALE,
        6,
        "Referater klar samme dag, uden at nogen sidder med dem om aftenen.",
        "To teams lod Mødereferenten lave udkast ud fra dagsorden og stikord i fire uger. Mødelederen "
        "godkendte hvert referat, før det blev delt.",
        "Referaterne lå klar samme dag i 19 ud af 22 møder. Det virkede bedst, når stikordene fulgte "
        "dagsordenens punkter. Beslutninger skal stadig læses grundigt igennem: to gange stod en beslutning "
        "mere skarpt, end den blev truffet.",
        "Skriv beslutningerne selv, og lad AI tage resten.",
    ),
    (
        "Tjekliste for bilag i Byggesager",
        "Tjekke byggeansøgninger for manglende bilag",
        ["Byggesager"],
        Pilot.Decision.SCALE,
        12,
        "Færre ansøgninger, der venter på bilag, og hurtigere første svar til ansøgeren.",
        "Sagsbehandlerne lod Kontorassistenten sammenholde nye ansøgninger med kommunens tjekliste og "
        "foreslå, hvilke bilag der manglede.",
        "Forslagene var rigtige i langt de fleste sager og gav et hurtigere første svar. Tegninger i "
        "dårlig kvalitet blev ofte overset, så sagsbehandleren ser stadig altid selv tegningerne igennem.",
        "",
    ),
    (
        "Ugeplaner med AI i Team Myretuen og Team Bikuben",
        "Skrive ugeplaner til forældrene",
        ["Team Myretuen", "Team Bikuben"],
        Pilot.Decision.ADJUST,
        4,
        "Ugeplaner, der tager kortere tid at skrive og er lettere for forældrene at læse.",
        "Pædagogerne skrev stikord om ugens aktiviteter og fik et udkast, som de rettede til og sendte.",
        "Det sparede tid i det ene team, men ikke i det andet, hvor stikordene var for korte. Forældrene "
        "syntes, planerne blev lettere at læse. Vi justerer: en fælles stikordsskabelon og en ny runde på "
        "fire uger, før vi beslutter, om det skal udbredes.",
        "Aftal på forhånd, hvor meget stikord der skal til.",
    ),
    (
        "Ugeplaner med billeder i Team Egern",
        "Skrive ugeplaner til forældrene",
        ["Team Egern"],
        Pilot.Decision.SCALE,
        1,
        "Ugeplaner, som også forældre, der ikke læser meget dansk, kan følge med i.",
        "Pædagogerne skrev stikord og fik et kort udkast med faste overskrifter, som de satte ugens egne "
        "billeder ind i (uden børnenes ansigter) og rettede til, før det blev sendt.",
        "Planerne tog omkring en halv time mindre om ugen at skrive, og flere forældre spurgte ind til "
        "ugens ture. Det virkede, fordi vi brugte samme stikordsskabelon hver gang; uden den blev udkastene "
        "for lange. Værktøjet foreslog en gang en aktivitet, vi ikke havde haft – derfor læser vi altid efter.",
        "Start med skabelonen, og lad én i teamet læse planen igennem, før den sendes.",
    ),
    (
        "Indtalte besøgsnotater i Distrikt Havnen",
        "Dokumentere besøg i hjemmeplejen",
        ["Distrikt Havnen"],
        Pilot.Decision.ADJUST,
        2,
        "Mere tid hos borgeren og mindre tid med telefonen efter besøget.",
        "Fire medarbejdere talte korte notater ind i bilen efter besøget og fik et udkast i fagsystemets skabelon.",
        "Udkastene var gode, når der var ro, men svære at rette på telefonens lille skærm. Det er også "
        "uklart, om værktøjet må få helbredsoplysninger, så vi venter på svar fra it og databeskyttelse "
        "og prøver igen med notater uden navne.",
        "Afklar reglerne for helbredsoplysninger, før I starter.",
    ),
]

# (area, title, text, anonymous, days ago)
EXPERIENCES = [
    (
        "Dagtilbud",
        "Forældrebrevet blev kortere – og bedre",
        "Jeg bad om et udkast til brevet om vores skovtur og fik en lang tekst. Da jeg bad om »højst fem "
        "linjer, i et venligt sprog«, blev det præcis det, vi havde brug for. Nu starter jeg altid med at "
        "sige, hvor kort det skal være.",
        False,
        3,
    ),
    (
        "Dagtilbud",
        "Jeg var bange for at gøre noget forkert",
        "Det første halve år turde jeg ikke prøve noget, fordi jeg var bange for at skrive noget om børnene. "
        "Efter fyrtårnets gennemgang af reglerne ved jeg, hvad jeg må, og nu bruger jeg det til de faste tekster.",
        True,
        8,
    ),
    (
        "Ældre og sundhed",
        "Oversættelse af en praktisk besked",
        "En pårørende læste ikke dansk. Vi fik en oversættelse af den generelle besked om besøgstider, uden "
        "noget om borgeren. Det gav ro hos familien, og en kollega med samme sprog tjekkede teksten.",
        False,
        5,
    ),
    (
        "Ældre og sundhed",
        "Det virkede ikke til vagtoverlevering",
        "Vi prøvede at få et resumé af dagens notater til aftenvagten. Det lød rigtigt, men udelod det, der "
        "var vigtigst for os. Vi går tilbage til den mundtlige overlevering med fem faste punkter.",
        True,
        12,
    ),
    (
        "Social og beskæftigelse",
        "Klart sprog i standardsvar",
        "Vi bad om at få vores standardsvar om boligstøtte skrevet i klart sprog. Borgerne ringer mindre "
        "for at få forklaret brevet, men vi tjekker altid, at reglerne stadig står rigtigt.",
        False,
        2,
    ),
    (
        "Social og beskæftigelse",
        "Hjælp til at forberede en svær samtale",
        "Jeg brugte AI til at finde gode, åbne spørgsmål før en samtale – uden noget om borgeren. Det gav mig "
        "nye vinkler, men tonen skulle jeg selv finde.",
        True,
        16,
    ),
    (
        "Teknik og miljø",
        "Opsummering af høringssvar",
        "Vi fik et første overblik over 60 høringssvar fordelt på emner. Det sparede en dag, men vi læste "
        "alle svar bagefter, for enkelte pointer var blevet blandet sammen.",
        False,
        20,
    ),
    (
        "Administration",
        "Dagsordener på ti minutter",
        "Jeg giver punkterne og formålet med mødet, og får en dagsorden med tid på hvert punkt. Den retter "
        "jeg til, og møderne er blevet kortere.",
        False,
        6,
    ),
    (
        "Administration",
        "Regneark-formler uden at spørge en kollega",
        "Jeg fik forklaret en formel trin for trin og lærte samtidig, hvordan den virker. Det er blevet lettere "
        "at hjælpe mig selv.",
        True,
        27,
    ),
]

# (team, area, story, applause, inspired, thanks, days ago)
CELEBRATIONS = [
    ("Team Myretuen", "Dagtilbud", "Ugeplanen blev sendt torsdag i stedet for fredag eftermiddag.", 9, 4, 3, 1),
    (
        "Distrikt Havnen",
        "Ældre og sundhed",
        "Vi lavede en fælles liste med gode spørgsmål at stille værktøjet – og brugte den alle sammen.",
        6,
        5,
        2,
        4,
    ),
    (
        "Ydelser",
        "Social og beskæftigelse",
        "Tre standardbreve er nu skrevet i klart sprog, og borgerne ringer mindre for at få dem forklaret.",
        11,
        7,
        5,
        6,
    ),
    (
        "Byggesager",
        "Teknik og miljø",
        "Første svar til ansøgerne går nu ud dagen efter, vi har modtaget sagen.",
        8,
        6,
        1,
        9,
    ),
    (
        "Kommunikation",
        "Administration",
        "Hele teamet har prøvet at skrive et referat med AI – også dem, der var mest skeptiske.",
        5,
        2,
        4,
        13,
    ),
    ("Team Egern", "Dagtilbud", "Vi turde prøve! Første forældrebrev med AI-udkast er sendt.", 7, 3, 6, 18),
]


# A card its leader came back to: weeks after publishing, the advice they added once the checklist
# had been in use across the department (the card shows "Redigeret <date>").
EDITED: dict[str, tuple[int, str]] = {
    "Tjekliste for bilag i Byggesager": (
        8,
        "Hold tjeklisten opdateret, når reglerne for bilag ændrer sig – forslagene bliver aldrig bedre end "
        "listen. Efter udbredelsen har vi gjort det til en fast opgave hvert kvartal.",
    ),
}


def load(municipality: Municipality, logins: dict[str, Person]) -> None:
    m = municipality
    units = {u.name: u for u in Unit.objects.filter(municipality=m)}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality=m)}
    use_cases = {uc.title: uc for uc in UseCase.objects.filter(municipality=m)}
    leaders = _leaders(m)
    director = logins["direktion"]
    now = timezone.now()
    today = timezone.localdate()

    for title, uc_title, team_names, decision, weeks_ago, goal, tried, learned, advice in CARDS:
        teams = [units[name] for name in team_names]
        institution = teams[0].parent or teams[0]
        use_case = use_cases.get(uc_title) or UseCase.objects.create(
            municipality=m,
            title=uc_title,
            today="Medarbejderne skriver dagbogsnotater ved computeren efter vagten.",
            ai_help="Et udkast ud fra en kort indtaling, som medarbejderen retter til.",
            human_decides="Medarbejderen står inde for hvert notat, før det gemmes.",
            area=areas["Social og beskæftigelse"],
            unit=institution,
            status=UseCase.Status.STOPPED if decision == Pilot.Decision.STOP else UseCase.Status.PILOT,
            created_by=leaders.get(institution.pk) or director,
        )
        leader = leaders.get(teams[0].pk) or leaders.get(institution.pk) or director
        ends_on = today - datetime.timedelta(weeks=weeks_ago)
        pilot = Pilot.objects.create(
            municipality=m,
            title=title,
            use_case=use_case,
            leader=leader,
            goal=goal,
            look_at="Tid brugt på opgaven, kvaliteten af teksterne og hvordan det er at arbejde med.",
            starts_on=ends_on - datetime.timedelta(weeks=4),
            ends_on=ends_on,
            small_and_safe=True,
            med_considered=True,
            med_note="Drøftet i det lokale MED-udvalg; alle deltager frivilligt.",
            human_decides="Medarbejderen retter og godkender alt, før det bruges.",
            status=Pilot.Status.CLOSED,
            decision=decision,
            decision_note=learned.split(".")[0] + ".",
            approved_by=leaders.get(institution.pk) or director,
            approved_at=now - datetime.timedelta(weeks=weeks_ago + 5),
            created_by=leader,
        )
        pilot.units.set(teams)
        closed = PilotStatusChange.objects.create(
            municipality=m,
            pilot=pilot,
            from_status=Pilot.Status.EVALUATING,
            to_status=Pilot.Status.CLOSED,
            note=pilot.decision_note,
            decided_by=director,  # the default decision rights: the direktion scales or stops
        )
        # Dated when it happened, a day after the period ended (the field stamps today).
        PilotStatusChange.objects.filter(pk=closed.pk).update(
            decided_at=now - datetime.timedelta(weeks=weeks_ago) + datetime.timedelta(days=1)
        )
        published_at = now - datetime.timedelta(weeks=weeks_ago) + datetime.timedelta(days=2)
        edit = EDITED.get(title)
        LearningCard.objects.create(
            municipality=m,
            pilot=pilot,
            tried=tried,
            learned=learned,
            advice=edit[1] if edit else advice,
            decision=decision,
            published_by=leader,
            published_at=published_at,
            edited_at=published_at + datetime.timedelta(weeks=edit[0]) if edit else None,
        )

    writers = _writers_by_area(m)
    for index, (area_name, title, text, anonymous, days_ago) in enumerate(EXPERIENCES):
        day = today - datetime.timedelta(days=days_ago)
        if anonymous:
            AnonymousExperience.objects.create(
                municipality=m, area=areas[area_name], title=title, text=text, created_on=day
            )
            continue
        candidates = writers.get(area_name) or [director]
        author = logins["medarbejder"] if index == 0 else candidates[index % len(candidates)]
        Experience.objects.create(
            municipality=m,
            area=areas[area_name],
            title=title,
            text=text,
            author=author,
            created_on=day,
            created_at=now - datetime.timedelta(days=days_ago),
        )

    for team_name, area_name, story, applause, inspired, thanks, days_ago in CELEBRATIONS:
        Celebration.objects.create(
            municipality=m,
            unit=units[team_name],
            area=areas[area_name],
            story=story,
            applause=applause,
            inspired=inspired,
            thanks=thanks,
            created_on=today - datetime.timedelta(days=days_ago),
        )
    # The demo employee has already cheered their own team's success: the button shows pressed.
    first = Celebration.objects.filter(municipality=m, unit=units["Team Myretuen"]).first()
    if first is not None:
        CelebrationReceipt.objects.create(
            municipality=m, key=receipt_key(person=logins["medarbejder"], celebration=first, reaction="applause")
        )


def _leaders(m: Municipality) -> dict[int, Person]:
    found: dict[int, Person] = {}
    for membership in Membership.objects.filter(municipality=m, is_leader=True).select_related("person").order_by("pk"):
        found.setdefault(membership.unit_id, membership.person)
    return found


def _writers_by_area(m: Municipality) -> dict[str, list[Person]]:
    """A few staff (not leaders) of each professional area, to sign the named posts."""
    found: dict[str, list[Person]] = {}
    rows = (
        Membership.objects.filter(municipality=m, is_leader=False, professional_area__isnull=False)
        .select_related("person", "professional_area")
        .order_by("pk")
    )
    for membership in rows:
        if membership.professional_area is None:
            continue
        people = found.setdefault(membership.professional_area.name, [])
        if len(people) < 5:
            people.append(membership.person)
    return found
