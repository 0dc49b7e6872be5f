from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "forankring.pilots"
    label = "pilots"
    verbose_name = _("Lokal afprøvning og læring")

    def ready(self) -> None:
        from forankring.core import tracks

        tracks.register_page("pilots", "pilots:index")

        # Sharing: learning cards, experiences, celebrations.
        from forankring.core import generate
        from forankring.notifications import kinds

        from . import demo_sharing, generate_sharing, queries_sharing

        tracks.register_home_panel("pilots/celebration_home_panel.html", queries_sharing.home_panel)
        tracks.register_demo(demo_sharing.load)
        generate.register("pilots_sharing", generate_sharing.add_sharing)
        kinds.register(
            "experience.reminder",
            _("Månedens påmindelse (%(subject)s): har du en erfaring med AI, du vil dele med kollegerne?"),
        )
