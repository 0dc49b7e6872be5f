from django.urls import path

from . import views, views_retro, views_rollout, views_sharing

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
    # Rollouts
    path("udrulninger/", views_rollout.rollouts, name="rollouts"),
    path("udrulninger/ny/", views_rollout.rollout_new, name="rollout_new"),
    path("udrulninger/<int:pk>/", views_rollout.rollout, name="rollout"),
    path("udrulninger/<int:pk>/ejer/", views_rollout.rollout_owner, name="rollout_owner"),
    path("udrulninger/<int:pk>/uge/<int:week>/", views_rollout.rollout_week, name="rollout_week"),
    path("udrulninger/<int:pk>/afslut/", views_rollout.rollout_close, name="rollout_close"),
    path("udrulninger/<int:pk>/mit-problem/", views_rollout.rollout_problem, name="rollout_problem"),
    path("udrulninger/<int:pk>/mit-problem/slet/", views_rollout.rollout_problem_delete, name="rollout_problem_delete"),
    # Sharing: learning cards, experiences, celebrations (views_sharing.py)
    path("laeringskort/", views_sharing.cards, name="cards"),
    path("laeringskort/<int:pk>/", views_sharing.card, name="card"),
    path("laeringskort/<int:pk>/ret/", views_sharing.card_edit, name="card_edit"),
    path("<int:pk>/laeringskort/", views_sharing.card_publish, name="card_publish"),
    path("erfaringer/", views_sharing.experiences, name="experiences"),
    path("erfaringer/ny/", views_sharing.experience_new, name="experience_new"),
    path("erfaringer/<int:pk>/tag-ned/", views_sharing.experience_take_down, name="experience_take_down"),
    path(
        "erfaringer/anonym/<uuid:pk>/tag-ned/",
        views_sharing.anonymous_experience_take_down,
        name="anonymous_experience_take_down",
    ),
    path("smaa-sejre/", views_sharing.celebrations, name="celebrations"),
    path("smaa-sejre/ny/", views_sharing.celebration_new, name="celebration_new"),
    path("smaa-sejre/<uuid:pk>/reager/", views_sharing.celebration_react, name="celebration_react"),
    path("smaa-sejre/<uuid:pk>/tag-ned/", views_sharing.celebration_take_down, name="celebration_take_down"),
    path("afproevninger/", views.pilot_list, name="list"),
    path("afproevninger/ny/", views.pilot_new, name="new"),
    path("afproevninger/<int:pk>/", views.pilot_detail, name="detail"),
    path("afproevninger/<int:pk>/ret/", views.pilot_edit, name="edit"),
    path("afproevninger/<int:pk>/godkend/", views.pilot_approve, name="approve"),
    path("afproevninger/<int:pk>/start/", views.pilot_start, name="start"),
    path("afproevninger/<int:pk>/evaluer/", views.pilot_evaluate, name="evaluate"),
    path("afproevninger/<int:pk>/forlaeng/", views.pilot_extend, name="extend"),
    path("afproevninger/<int:pk>/afslut/", views.pilot_close, name="close"),
    path("afproevninger/<int:pk>/puls/", views.pulse, name="pulse"),
]
