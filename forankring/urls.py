from django.urls import include, path
from django.views.i18n import set_language

from forankring.core import views_oidc

urlpatterns = [
    path("sprog/", set_language, name="set_language"),
    path("", include("forankring.core.urls")),
    path("privatliv/", include("forankring.privacy.urls")),
    path("retning/", include("forankring.direction.urls")),
    path("kompetence/", include("forankring.competence.urls")),
    path("praksis/", include("forankring.practice.urls")),
    path("afproevning/", include("forankring.pilots.urls")),
    path("notifikationer/", include("forankring.notifications.urls")),
    # Always routed; the views answer 404 while OpenID Connect is off (see views_oidc).
    path("oidc/", include(views_oidc.urlpatterns)),
]

handler404 = "forankring.core.errors.not_found"
handler403 = "forankring.core.errors.forbidden"
handler500 = "forankring.core.errors.server_error"
