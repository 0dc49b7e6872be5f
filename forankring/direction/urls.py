from django.urls import path

from . import views

app_name = "direction"

urlpatterns = [
    path("", views.index, name="index"),
    path("formaal/", views.purpose_edit, name="purpose_edit"),
    path("fokusomraader/", views.focus_areas, name="focus_areas"),
    path("fokusomraader/<int:pk>/fjern/", views.focus_area_remove, name="focus_area_remove"),
    path("kompas/", views.compass, name="compass"),
    path("kompas/ny/", views.compass_new, name="compass_new"),
    path("kompas/forskel/", views.compass_diff, name="compass_diff"),
    path("kompas/daekning/", views.coverage, name="coverage"),
    path("kompas/<int:pk>/", views.compass_detail, name="compass_detail"),
    path("kompas/<int:pk>/ret/", views.compass_edit, name="compass_edit"),
    path("kompas/<int:pk>/trin/", views.compass_step, name="compass_step"),
    path("kompas/<int:pk>/kvitter/", views.compass_acknowledge, name="compass_acknowledge"),
    path("vaerktoejer/", views.tools, name="tools"),
    path("vaerktoejer/nyt/", views.tool_edit, name="tool_new"),
    path("vaerktoejer/<int:pk>/", views.tool_detail, name="tool_detail"),
    path("vaerktoejer/<int:pk>/ret/", views.tool_edit, name="tool_edit"),
    path("dataregler/", views.data_rules, name="data_rules"),
    path("dataregler/navne/", views.data_names, name="data_names"),
    path("maa-jeg-bruge/", views.may_i_use, name="may_i_use"),
    path("beslutninger/", views.decisions, name="decisions"),
    path("beslutninger/ny/", views.decision_edit, name="decision_new"),
    path("beslutninger/<slug:key>/", views.decision_edit, name="decision_edit"),
    path("bekymringer/", views.concerns, name="concerns"),
    path("bekymringer/besvarede/", views.answered, name="answered"),
    path("saadan-arbejder-vi/", views.how_we_work, name="how_we_work"),
]
