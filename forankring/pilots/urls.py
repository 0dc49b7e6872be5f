from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.index, name="index"),
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
