from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "forankring.pilots"
    label = "pilots"
    verbose_name = _("Lokal afprøvning og læring")

    def ready(self) -> None:
        from forankring.core import tracks

        tracks.register_page("pilots", "pilots:index")

        # Rollouts
        from forankring.core import generate as generator
        from forankring.notifications import kinds

        from . import demo_rollout, generate_rollout, waiting_rollout

        tracks.register_waiting(waiting_rollout.items_for)
        generator.register("pilots_rollout", generate_rollout.add_rollouts)
        tracks.register_demo(demo_rollout.load)
        kinds.register("rollout.owner", _("Du ejer de første 30 dage af udrulningen »%(subject)s«"))
        kinds.register("rollout.week", _("En ny uge i udrulningen »%(subject)s«: se ugens opgave"))
        kinds.register("rollout.closing_due", _("De 30 dage er gået: skriv afslutningsnoten for »%(subject)s«"))
