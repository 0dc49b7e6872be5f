from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("sprog/", set_language, name="set_language"),
    path("", include("forankring.core.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler404 = "forankring.core.errors.not_found"
handler403 = "forankring.core.errors.forbidden"
handler500 = "forankring.core.errors.server_error"
