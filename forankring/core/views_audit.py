"""The administrator's view of the audit log: browse, filter, export and check the chain."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from . import actions, audit, exports, queries
from .forms import AuditFilterForm
from .http import PersonRequest
from .models import AuditEvent, Person, Role
from .views import admin_required

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

PAGE_SIZE = 50

# Keys in `changes` that belong to no model field of the logged object.
FIELD_LABELS: dict[str, StrOrPromise] = {
    "role": gettext_lazy("Rolle"),
    "unit": gettext_lazy("Enhed"),
    # The number the demo data was generated from: the same number gives the same made-up people again.
    "seed": gettext_lazy("Demodatasæt nr."),
    "root": gettext_lazy("Øverste enhed"),
    "administrator": gettext_lazy("Administrator"),
    "linked_by": gettext_lazy("Koblet på via"),
    "account_created": gettext_lazy("Bruger oprettet"),
    "added": gettext_lazy("Roller givet"),
    "removed": gettext_lazy("Roller fjernet"),
    "redacted": gettext_lazy("Logpost, hvis tekst er fjernet"),
    "reason": gettext_lazy("Begrundelse"),
}


@dataclass(frozen=True)
class ChangeLine:
    label: StrOrPromise
    before: str
    after: str
    # "changed" (before → after), "added" (nothing before), "removed" (nothing after), or
    # "value" for a plain value that is no before/after pair (e.g. the demo data's seed).
    kind: str


@dataclass(frozen=True)
class EventRow:
    event: AuditEvent
    action_label: StrOrPromise
    who: str
    object_type_label: StrOrPromise
    object_url: str
    lines: list[ChangeLine]


def _model_for(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> StrOrPromise:
    model = _model_for(object_type)
    return capfirst(model._meta.verbose_name) if model is not None else object_type


def _field_label(model: Any, key: str) -> StrOrPromise:
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    if model is not None:
        try:
            return capfirst(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            pass
    return key


EMPTY = "–"


def _format_value(key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if key == "role" and value in Role.values:
        return str(Role(value).label)
    if isinstance(value, list):
        return ", ".join(_format_value(key, v) for v in value)
    if isinstance(value, dict):
        if key == "redacted" and "seq" in value:
            # The hashes it records are for verify_audit (and the export), not for reading here.
            return _("Nr. %(seq)s") % {"seq": value["seq"]}
        if "role" in value and "unit" in value:
            return _("%(role)s i %(unit)s") % {
                "role": _format_value("role", value["role"]),
                "unit": _format_value("unit", value["unit"]),
            }
        return ", ".join(f"{k}: {_format_value(k, v)}" for k, v in sorted(value.items()))
    return str(value)


def change_lines(event: AuditEvent) -> list[ChangeLine]:
    model = _model_for(event.object_type)
    changes = event.changes if isinstance(event.changes, dict) else {"": event.changes}
    lines = []
    for key, value in changes.items():
        label = _field_label(model, key)
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            before, after = _format_value(key, value["before"]), _format_value(key, value["after"])
            kind = "added" if before == EMPTY else "removed" if after == EMPTY else "changed"
            lines.append(ChangeLine(label, before, after, kind))
        else:
            lines.append(ChangeLine(label, "", _format_value(key, value), "value"))
    return lines


def present(event: AuditEvent) -> EventRow:
    object_url = ""
    if event.object_type == "core.person" and event.object_id.isdigit():
        object_url = reverse("core:admin_person", args=[int(event.object_id)])
    return EventRow(
        event=event,
        action_label=audit.action_label(event.action),
        # A row with an actor always has its name, unless the text was redacted (audit.redact).
        who=event.actor_label or (_("(fjernet)") if event.actor_id else _("Systemet")),
        object_type_label=object_type_label(event.object_type) if event.object_type else "",
        object_url=object_url,
        lines=change_lines(event),
    )


# The filters' earlier, Danish names; links bookmarked with them keep working.
LEGACY_NAMES = {"handling": "action", "type": "object_type", "fra": "date_from", "til": "date_to"}


def _filter_params(request: HttpRequest) -> QueryDict:
    """The query string with the filters' earlier names read as their present ones."""
    params = request.GET.copy()
    for old, new in LEGACY_NAMES.items():
        values = params.pop(old, [])
        if values and new not in params:
            params.setlist(new, values)
    return params


def _filtered_events(request: HttpRequest, person: Person) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    action_codes, object_types = queries.audit_filter_values(person)
    form = AuditFilterForm(
        _filter_params(request),
        actions=[(code, audit.action_label(code)) for code in action_codes],
        object_types=[(t, object_type_label(t)) for t in object_types],
    )
    form.is_valid()
    # A field with an error is left out of the filter; its error is shown beside it.
    data = form.cleaned_data
    events = queries.filter_audit_events(
        queries.audit_events_for(person),
        action=data.get("action") or "",
        name=(data.get("person") or "").strip(),
        object_type=data.get("object_type") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return form, events


def _filter_query(request: HttpRequest) -> str:
    params = _filter_params(request)
    params.pop("side", None)
    return params.urlencode()


@admin_required
@require_GET
def admin_audit(request: PersonRequest) -> HttpResponse:
    person = request.person
    form, events = _filtered_events(request, person)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("side"))
    check = queries.last_audit_check(person)
    newest = queries.audit_events_for(person).values_list("seq", flat=True).first() or 0
    context = {
        "form": form,
        "page": page,
        "rows": [present(e) for e in page],
        "filter_query": _filter_query(request),
        "is_filtered": any(form.data.get(name) for name in form.fields),
        "check": check,
        # Rows written after the last good check, which it could not have looked at.
        "unchecked": max(newest - check.head_seq, 0) if check and check.ok else 0,
        "check_problem": audit.problem_text(check.reason) if check and not check.ok else "",
    }
    return render(request, "core/admin_audit.html", context)


CSV_HEADER = [
    gettext_lazy("Løbenummer"),
    gettext_lazy("Tidspunkt"),
    gettext_lazy("Udført af"),
    gettext_lazy("Handling"),
    gettext_lazy("Kode"),
    gettext_lazy("Type"),
    gettext_lazy("Id"),
    gettext_lazy("Hvad"),
    gettext_lazy("Ændringer"),
    gettext_lazy("Ændringer (JSON)"),
    gettext_lazy("Hash"),
]


def _summary(lines: Iterable[ChangeLine]) -> str:
    parts = []
    for line in lines:
        # The file states both sides every time, so a spreadsheet filter on "→" finds them all.
        parts.append(
            f"{line.label}: {line.after}" if line.kind == "value" else f"{line.label}: {line.before} → {line.after}"
        )
    return "; ".join(parts)


def _csv_lines(events: QuerySet[AuditEvent]) -> Iterator[list[object]]:
    """The header, then one line per event as the database sends it; exports.csv_chunks
    neutralises the text (names and labels come from people)."""
    yield [str(h) for h in CSV_HEADER]
    for event in events.iterator(chunk_size=2000):
        row = present(event)
        yield [
            event.seq,
            timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            row.who,
            str(row.action_label),
            event.action,
            str(row.object_type_label),
            event.object_id,
            event.object_label,
            _summary(row.lines),
            json.dumps(event.changes, ensure_ascii=False, sort_keys=True),
            event.hash,
        ]


@admin_required
@require_GET
def admin_audit_export(request: PersonRequest) -> StreamingHttpResponse:
    person = request.person
    _form, events = _filtered_events(request, person)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return exports.download(
        exports.csv_chunks(_csv_lines(events)), fmt="csv", filename=f"log-{person.municipality.slug}-{stamp}.csv"
    )


@admin_required
@require_POST
def admin_audit_check(request: PersonRequest) -> HttpResponse:
    person = request.person
    report, check = actions.verify_audit_chain(actor=person)
    if report.ok:
        messages.success(request, _("Loggen er kontrolleret: kæden er hel (%(rows)s poster).") % {"rows": report.rows})
    else:
        messages.error(
            request,
            _("Loggen er kontrolleret: kæden er brudt ved post nr. %(seq)s.") % {"seq": check.broken_seq},
        )
    return redirect("core:admin_audit")
