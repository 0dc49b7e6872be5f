from django.urls import path

from . import tracks, views, views_audit, views_org

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("log-ind/", views.login, name="login"),
    path("log-ud/", views.logout, name="logout"),
    path("kommune/", views.choose_municipality, name="choose_municipality"),
    path("om/", views.about, name="about"),
    path("sundhed/", views.health, name="health"),
    path("sundhed/klar/", views.ready, name="ready"),
    path("robots.txt", views.robots, name="robots"),
    path("overblik/", views.overview, name="overview"),
    # Placeholders for the tracks no app has claimed yet (the URL conf loads after every
    # AppConfig.ready(), so the claims are known here).
    *[
        path(track.path, views.track_placeholders[track.key], name=f"track_{track.key}")
        for track in tracks.TRACKS
        if not track.has_page
    ],
    path("workshops/", views.workshops, name="workshops"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("mig/", views.me, name="me"),
    path("administration/", views.admin_home, name="admin_home"),
    path("administration/indstillinger/", views.admin_settings, name="admin_settings"),
    path("administration/personer/", views.admin_people, name="admin_people"),
    path("administration/personer/<int:pk>/", views.admin_person, name="admin_person"),
    path(
        "administration/personer/<int:pk>/roller/<int:assignment_pk>/fjern/",
        views.admin_revoke_role,
        name="admin_revoke_role",
    ),
    path("administration/organisation/", views_org.admin_import, name="admin_import"),
    path("administration/organisation/eksport.<str:fmt>", views_org.admin_export, name="admin_export"),
    path("administration/log/", views_audit.admin_audit, name="admin_audit"),
    path("administration/log/eksport.csv", views_audit.admin_audit_export, name="admin_audit_export"),
    path("administration/log/kontroller/", views_audit.admin_audit_check, name="admin_audit_check"),
]
