from django.urls import path

from . import views, views_rollout

app_name = "pilots"

urlpatterns = [
    path("", views.index, name="index"),
    # Rollouts
    path("udrulninger/", views_rollout.rollouts, name="rollouts"),
    path("udrulninger/ny/", views_rollout.rollout_new, name="rollout_new"),
    path("udrulninger/<int:pk>/", views_rollout.rollout, name="rollout"),
    path("udrulninger/<int:pk>/ejer/", views_rollout.rollout_owner, name="rollout_owner"),
    path("udrulninger/<int:pk>/uge/<int:week>/", views_rollout.rollout_week, name="rollout_week"),
    path("udrulninger/<int:pk>/afslut/", views_rollout.rollout_close, name="rollout_close"),
    path("udrulninger/<int:pk>/mit-problem/", views_rollout.rollout_problem, name="rollout_problem"),
    path("udrulninger/<int:pk>/mit-problem/slet/", views_rollout.rollout_problem_delete, name="rollout_problem_delete"),
]
