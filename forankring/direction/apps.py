from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectionConfig(AppConfig):
    name = "forankring.direction"
    label = "direction"
    verbose_name = _("Retning og rammer")

    def ready(self) -> None:
        from forankring.core import generate as generator
        from forankring.core import tracks
        from forankring.privacy import roster

        from . import demo, generate, queries, waiting

        tracks.register_page("direction", "direction:index")
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
        generator.register("direction", generate.add_direction)
        # "Vi bruger Copilot til referater" names a tool, not a colleague: the name check in
        # anonymous texts knows the register's tools.
        roster.register_non_person_source(queries.tool_names)
