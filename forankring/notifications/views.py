from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from forankring.core.http import PersonRequest
from forankring.core.views import person_required

from . import actions, queries
from .forms import PreferenceForm
from .models import Frequency


@person_required
@require_GET
def notification_list(request: PersonRequest) -> HttpResponse:
    person = request.person
    page = queries.notifications_page(person, request.GET.get("side"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": queries.unread_count(person),
            "frequency_label": Frequency(queries.frequency_of(person)).label,
        },
    )


@person_required
@require_POST
def open_notification(request: PersonRequest, pk: int) -> HttpResponse:
    """Marks the notification read and goes to what it is about (a form button, so it works
    without JavaScript and a link prefetch cannot mark anything read)."""
    person = request.person
    notification = queries.get_notification_for(person, pk)
    actions.mark_read(actor=person, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@person_required
@require_POST
def mark_all_read(request: PersonRequest) -> HttpResponse:
    actions.mark_read(actor=request.person)
    messages.success(request, _("Alle notifikationer er markeret som læst."))
    return redirect("notifications:list")


@person_required
@require_http_methods(["GET", "POST"])
def preference(request: PersonRequest) -> HttpResponse:
    person = request.person
    form = PreferenceForm(request.POST or None, initial={"frequency": queries.frequency_of(person)})
    if request.method == "POST" and form.is_valid():
        actions.set_preference(actor=person, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Dit valg er gemt."))
        return redirect("notifications:list")
    return render(request, "notifications/preference.html", {"form": form})
