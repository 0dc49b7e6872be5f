from django.urls import path

from . import views

app_name = "pilots"

urlpatterns = [
    path("", views.index, name="index"),
]
