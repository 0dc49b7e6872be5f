from django.urls import path

from . import views, views_retro

app_name = "pilots"

urlpatterns = [
    path("", views.index, name="index"),
    # Retro part: the live retrospective that ends a pilot.
    path("<int:pk>/retrospektiv/", views_retro.retro, name="retro"),
    path("<int:pk>/retrospektiv/aabn/", views_retro.retro_open, name="retro_open"),
    path("<int:pk>/retrospektiv/fase/", views_retro.retro_phase, name="retro_phase"),
    path("<int:pk>/retrospektiv/kort/", views_retro.retro_card, name="retro_card"),
    path("<int:pk>/retrospektiv/grupper/", views_retro.retro_group, name="retro_group"),
    path("<int:pk>/retrospektiv/ud-af-gruppe/", views_retro.retro_ungroup, name="retro_ungroup"),
    path("<int:pk>/retrospektiv/prik/", views_retro.retro_vote, name="retro_vote"),
    path("<int:pk>/retrospektiv/note/", views_retro.retro_note, name="retro_note"),
    path("<int:pk>/retrospektiv/beslutning/", views_retro.retro_decide, name="retro_decide"),
    path("<int:pk>/retrospektiv/handling/", views_retro.retro_action, name="retro_action"),
]
