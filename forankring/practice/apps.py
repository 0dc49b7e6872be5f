from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "forankring.practice"
    label = "practice"
    verbose_name = _("Faglig forankring")

    def ready(self) -> None:
        from forankring.core import generate as generator
        from forankring.core import tracks
        from forankring.notifications import kinds

        from . import demo, generate, panels, waiting

        tracks.register_page("practice", "practice:index")
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
        generator.register("practice", generate.add_practice)
        tracks.register_how_we_work(panels.lighthouses_panel)
        kinds.register(
            "lighthouse.stopped",
            _(
                "Fyrtårnet er stoppet, og dit spørgsmål »%(subject)s« nåede ikke at blive besvaret. "
                "Find et andet fyrtårn at spørge"
            ),
        )
        kinds.register("lighthouse.answered", _("Fyrtårnet har svaret på dit spørgsmål: »%(subject)s«"))
