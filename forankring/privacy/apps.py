from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "forankring.privacy"
    label = "privacy"
    verbose_name = _("Privatliv")

    def ready(self) -> None:
        from django.core import checks

        from forankring.core import generate

        from . import roster  # noqa: F401 - connects the signals that keep the name check current
        from .checks import check_anonymous_models
        from .generate import add_concerns

        checks.register(check_anonymous_models, checks.Tags.models)
        # A generated municipality gets concerns in proportion to its size.
        generate.register("concerns", add_concerns)
