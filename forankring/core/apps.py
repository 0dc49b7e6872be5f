from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "forankring.core"
    label = "core"
    verbose_name = _("Kerne")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # Registers the system check that validates the OpenID Connect setup at startup.
        from . import oidc  # noqa: F401

        # The idle timeout's clock starts at sign-in (core.middleware.IdleTimeoutMiddleware).
        from .middleware import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="forankring-idle-clock")
