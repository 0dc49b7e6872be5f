from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "forankring.pilots"
    label = "pilots"
    verbose_name = _("Lokal afprøvning og læring")

    def ready(self) -> None:
        from forankring.core import tracks

        tracks.register_page("pilots", "pilots:index")

        # Retro part: the live retrospective that ends a pilot.
        from forankring.notifications import kinds as notification_kinds

        from . import demo_retro, waiting_retro

        tracks.register_waiting(waiting_retro.items_for)
        tracks.register_demo(demo_retro.load)
        notification_kinds.register(
            "pilot.retro_opened", _("Retrospektivet for »%(subject)s« er åbent – skriv dine kort")
        )
        notification_kinds.register(
            "pilot.retro_action", _("Du har fået en handling fra retrospektivet for »%(subject)s«")
        )
