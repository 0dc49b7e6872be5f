from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("bekymringer/", views.concern_list, name="concern_list"),
    path("bekymringer/ny/", views.concern_new, name="concern_new"),
    path("data-og-vaerktoejer/", views.data_tools, name="data_tools"),
]
