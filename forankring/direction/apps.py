from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectionConfig(AppConfig):
    name = "forankring.direction"
    label = "direction"
    verbose_name = _("Retning og rammer")

    def ready(self) -> None:
        from forankring.core import tracks

        from . import demo, waiting

        tracks.register_page("direction", "direction:index")
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
