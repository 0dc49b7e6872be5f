from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenceConfig(AppConfig):
    name = "forankring.competence"
    label = "competence"
    verbose_name = _("Kompetenceudvikling")

    def ready(self) -> None:
        from forankring.core import generate as generator
        from forankring.core import tracks
        from forankring.notifications import kinds

        from . import demo, generate, notices, waiting

        for key, sentence in notices.KINDS.items():
            kinds.register(key, sentence)

        tracks.register_page("competence", "competence:index")
        tracks.register_waiting(waiting.items_for)
        tracks.register_demo(demo.load)
        generator.register("competence", generate.add_competence)
