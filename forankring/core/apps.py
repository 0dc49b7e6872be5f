from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "forankring.core"
    label = "core"
    verbose_name = _("Kerne")

    def ready(self) -> None:
        # Registers the system check that validates the OpenID Connect setup at startup.
        from . import oidc  # noqa: F401
