from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.index, name="index"),
    path("fokusomraader/", views.focus_areas, name="focus_areas"),
    path("fokusomraader/<int:pk>/fjern/", views.focus_area_remove, name="focus_area_remove"),
    path("anvendelser/", views.use_cases, name="use_cases"),
    path("anvendelser/ny/", views.use_case_new, name="use_case_new"),
    path("anvendelser/lignende/", views.use_case_similar, name="use_case_similar"),
    path("anvendelser/<int:pk>/", views.use_case, name="use_case"),
    path("anvendelser/<int:pk>/ret/", views.use_case_edit, name="use_case_edit"),
    path("anvendelser/<int:pk>/status/", views.use_case_status, name="use_case_status"),
    path("anvendelser/<int:pk>/vi-vil-ogsaa/", views.use_case_join, name="use_case_join"),
    path("anvendelser/<int:pk>/foelg/", views.use_case_follow, name="use_case_follow"),
    path("ideer/", views.ideas, name="ideas"),
    path("ideer/ny/", views.idea_new, name="idea_new"),
    path("ideer/<int:pk>/", views.idea, name="idea"),
    path("ideer/<int:pk>/foelg/", views.idea_follow, name="idea_follow"),
    path("ideer/anonym/<uuid:pk>/", views.anonymous_idea, name="anonymous_idea"),
    path("fyrtaarne/", views.lighthouses, name="lighthouses"),
    path("fyrtaarne/<int:pk>/fjern/", views.lighthouse_remove, name="lighthouse_remove"),
    path("fyrtaarne/<int:pk>/spoerg/", views.lighthouse_ask, name="lighthouse_ask"),
    path("fyrtaarne/spoergsmaal/", views.lighthouse_questions, name="lighthouse_questions"),
    path("fyrtaarne/spoergsmaal/<int:pk>/", views.lighthouse_question, name="lighthouse_question"),
    path("team/", views.teams, name="teams"),
    path("team/<int:pk>/", views.team, name="team"),
    path("team/<int:pk>/moedekit/", views.team_kit, name="team_kit"),
]
