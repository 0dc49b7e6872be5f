from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "forankring.notifications"
    label = "notifications"
    verbose_name = _("Notifikationer")

    def ready(self) -> None:
        from forankring.core import generate, tracks

        from . import generate as generate_notifications
        from . import waiting

        tracks.register_waiting(waiting.items_for)
        generate.register("notifications", generate_notifications.add_notifications)
