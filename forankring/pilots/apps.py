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

        from . import demo, generate, waiting

        tracks.register_page("pilots", "pilots:index")
        # Core part: pilots and their weekly pulse.
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
        generator.register("pilots", generate.add_pilots)
        kinds.register("pilot.proposed", _("Afprøvningen »%(subject)s« er foreslået og venter på godkendelse"))
        kinds.register("pilot.approved", _("Afprøvningen »%(subject)s« er godkendt"))
        kinds.register(
            "pilot.started", _("Afprøvningen »%(subject)s« er gået i gang – fortæl hver uge anonymt, hvordan det går")
        )
        kinds.register("pilot.closed", _("Afprøvningen »%(subject)s« er afsluttet med en beslutning"))
