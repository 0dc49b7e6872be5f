from django.urls import path

from . import views

app_name = "competence"

urlpatterns = [
    path("", views.index, name="index"),
    path("indstillinger/", views.settings, name="settings"),
    path("niveauer/nyt/", views.level_edit, name="level_new"),
    path("niveauer/<int:pk>/", views.level_edit, name="level_edit"),
    path("aktiviteter/", views.activities, name="activities"),
    path("aktiviteter/ny/", views.activity_edit, name="activity_new"),
    path("aktiviteter/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("aktiviteter/<int:pk>/ret/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/gennemfoert/", views.activity_complete, name="activity_complete"),
    path("aktiviteter/<int:pk>/nyt-hold/", views.session_new, name="session_new"),
    path("hold/<int:pk>/", views.session_detail, name="session_detail"),
    path("hold/<int:pk>/ret/", views.session_edit, name="session_edit"),
    path("hold/<int:pk>/aflys/", views.session_call_off, name="session_call_off"),
    path("hold/<int:pk>/tilmeld/", views.session_signup, name="session_signup"),
    path("hold/<int:pk>/afmeld/", views.session_cancel, name="session_cancel"),
    path("hold/<int:pk>/kalender.ics", views.session_ics, name="session_ics"),
    path("mig/", views.mine, name="mine"),
    path("register/", views.register, name="register"),
    path("register/eksport/<str:fmt>/", views.register_export, name="register_export"),
    path("daekning/", views.coverage, name="coverage"),
    path("obligatorisk/", views.mandatory, name="mandatory"),
    path("vaerktoejer/", views.tools, name="tools"),
    path("forloeb/", views.paths, name="paths"),
    path("forloeb/trin/<int:pk>/fjern/", views.path_step_remove, name="path_step_remove"),
    path("prompts/", views.prompts, name="prompts"),
    path("prompts/ny/", views.prompt_new, name="prompt_new"),
    path("prompts/<int:pk>/", views.prompt_detail, name="prompt_detail"),
    path("prompts/<int:pk>/beslut/", views.prompt_decide, name="prompt_decide"),
    path("prompts/<int:pk>/nyttig/", views.prompt_useful, name="prompt_useful"),
]
