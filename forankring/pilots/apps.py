from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PilotsConfig(AppConfig):
    name = "forankring.pilots"
    label = "pilots"
    verbose_name = _("Lokal afprøvning og læring")

    def ready(self) -> None:
        from forankring.core import tracks

        tracks.register_page("pilots", "pilots:index")
