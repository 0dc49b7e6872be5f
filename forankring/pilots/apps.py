from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "forankring.pilots"
    label = "pilots"
    verbose_name = _("Lokal afprøvning og læring")

    def ready(self) -> None:
        from forankring.core import generate as generator
        from forankring.core import tracks
        from forankring.notifications import kinds

        from . import (
            demo,
            demo_retro,
            demo_rollout,
            demo_sharing,
            generate,
            generate_rollout,
            generate_sharing,
            queries_sharing,
            team_kit,
            waiting,
            waiting_retro,
            waiting_rollout,
        )

        tracks.register_page("pilots", "pilots:index")

        # Pilots and their weekly pulse. Their demo loads first: the other parts' demos build on it.
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
        generator.register("pilots", generate.add_pilots)
        kinds.register("pilot.proposed", _("Afprøvningen »%(subject)s« er foreslået og venter på godkendelse"))
        kinds.register("pilot.approved", _("Afprøvningen »%(subject)s« er godkendt"))
        kinds.register(
            "pilot.started", _("Afprøvningen »%(subject)s« er gået i gang – fortæl hver uge anonymt, hvordan det går")
        )
        kinds.register(
            "pilot.evaluating",
            _("Afprøvningen »%(subject)s« er slut og skal nu evalueres – retrospektivet er næste skridt"),
        )
        kinds.register("pilot.closed", _("Afprøvningen »%(subject)s« er afsluttet med en beslutning"))

        # The live retrospective that ends a pilot.
        tracks.register_waiting(waiting_retro.items_for)
        tracks.register_demo(demo_retro.load)
        kinds.register("pilot.retro_opened", _("Retrospektivet for »%(subject)s« er åbent – skriv dine kort"))
        kinds.register("pilot.retro_action", _("Du har fået en handling fra retrospektivet for »%(subject)s«"))

        # Learning cards, experiences, celebrations.
        tracks.register_home_panel("pilots/celebration_home_panel.html", queries_sharing.home_panel)
        tracks.register_demo(demo_sharing.load)
        generator.register("pilots_sharing", generate_sharing.add_sharing)
        kinds.register(
            "experience.reminder",
            _("Månedens påmindelse (%(subject)s): har du en erfaring med AI, du vil dele med kollegerne?"),
        )

        # The team's meeting kit (track 2's page): its running pilots and new learnings from similar teams.
        tracks.register_team_kit_section(team_kit.pilots_section)
        tracks.register_team_kit_section(team_kit.learnings_section)

        # Rollouts.
        tracks.register_waiting(waiting_rollout.items_for)
        tracks.register_demo(demo_rollout.load)
        generator.register("pilots_rollout", generate_rollout.add_rollouts)
        kinds.register("rollout.owner", _("Du ejer de første 30 dage af udrulningen »%(subject)s«"))
        kinds.register("rollout.week", _("En ny uge i udrulningen »%(subject)s«: se ugens opgave"))
        kinds.register("rollout.closing_due", _("De 30 dage er gået: skriv afslutningsnoten for »%(subject)s«"))
