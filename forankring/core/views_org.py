"""Import and export of the organisation (units and staff) for administrators.

The import is two steps and needs no JavaScript: the upload is checked and shown as a dry run
(every bad line, or a summary of what will change), and only "Gennemfør indlæsning" writes.

Between the two steps the records read from the file are kept in the cache (the database
cache in settings), not in the session and not on local disk:
- the cache is shared by every app server behind the load balancer, local disk is not;
- the session row is read on every request, and 50,000 lines do not belong there;
- each entry expires by itself after PREVIEW_SECONDS and is deleted when it is used;
- the key holds the municipality, the person and an unguessable token, so one administrator
  can never confirm another's file, let alone another municipality's.
On confirmation the records are checked again against the database as it is then.
"""

from __future__ import annotations

import json
import re
import secrets
import zlib

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import access, actions, exports, orgfile, queries, submission
from .forms import OrganisationFileForm
from .http import PersonRequest
from .models import Person
from .orgsync import ImportResult
from .views import admin_required

PREVIEW_SECONDS = 30 * 60
# Lists on the summary page are cut here; the counts above them are always complete.
PREVIEW_LIST_MAX = 50
# The error table shows this many lines; a file with more problems is usually the wrong file.
ERRORS_SHOWN_MAX = 1000
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


@admin_required
@require_http_methods(["GET", "POST"])
def admin_import(request: PersonRequest) -> HttpResponse:
    person = request.person
    if request.method == "POST" and request.POST.get("step") == "confirm":
        return _confirm(request, person)
    if request.method == "POST":
        form = OrganisationFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            return _dry_run(request, person, upload.name or "", upload.read())
    else:
        form = OrganisationFileForm()
    return render(request, "core/admin_import.html", _page_context(form))


def _page_context(form: OrganisationFileForm) -> dict[str, object]:
    return {"form": form, "columns": orgfile.COLUMNS}


def _dry_run(request: HttpRequest, person: Person, source_name: str, data: bytes) -> HttpResponse:
    parsed = orgfile.parse(data, source_name, existing_roots=queries.root_unit_names(person))
    if not parsed.ok:
        return _error_report(request, source_name, parsed.errors)
    result = actions.import_organisation(actor=person, rows=parsed.rows, source_name=source_name, dry_run=True)
    if result.blocking:
        return _error_report(request, source_name, [orgfile.RowError(0, "", r) for r in result.blocking])
    token = _keep(person, source_name, parsed.records) if result.changed else ""
    return _summary(request, source_name, len(parsed.rows), result, token)


def _confirm(request: HttpRequest, person: Person) -> HttpResponse:
    # The preview's token is also the confirmation's one-time submission token (core/submission.py):
    # a second "Indlæs" (a double click, a retry) imports nothing twice.
    token = request.POST.get("token", "")
    if repeat := submission.repeat_of(request, municipality=person.municipality, token=token):
        return submission.answer_repeat(request, repeat, fallback=reverse("core:admin_import"))
    pending = _take(person, token)
    if pending is None:
        messages.error(request, _("Kontrollen af filen er udløbet eller allerede brugt. Vælg filen igen."))
        return redirect("core:admin_import")
    source_name, records = pending
    rows, errors = orgfile.validate(records, existing_roots=queries.root_unit_names(person))
    if errors:
        return _error_report(request, source_name, errors)
    try:
        with submission.once(token, municipality=person.municipality) as spent:
            result = actions.import_organisation(actor=person, rows=rows, source_name=source_name)
            spent.result_url = reverse("core:admin_import")
    except submission.AlreadySubmittedError as repeat:
        return submission.answer_repeat(request, repeat, fallback=reverse("core:admin_import"))
    except actions.OrganisationImportRefused as refused:
        return _error_report(request, source_name, [orgfile.RowError(0, "", r) for r in refused.reasons])
    if result.changed:
        messages.success(
            request,
            _(
                "Organisationen er indlæst. Nye medarbejdere: %(created)d. Ændrede: %(updated)d. "
                "Gjort inaktive: %(deactivated)d. Uændrede: %(unchanged)d. Nye enheder: %(units)d."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "deactivated": result.deactivated,
                "unchanged": result.unchanged,
                "units": result.units_created,
            },
        )
    else:
        messages.info(request, _("Filen svarer til det, der allerede er indlæst. Intet er ændret."))
    return redirect("core:admin_import")


def _error_report(request: HttpRequest, source_name: str, errors: list[orgfile.RowError]) -> HttpResponse:
    context = {
        **_page_context(OrganisationFileForm()),
        "source_name": source_name,
        "errors": errors[:ERRORS_SHOWN_MAX],
        "error_count": len(errors),
        "line_count": len({e.line for e in errors if e.line}),
        "errors_cut": len(errors) > ERRORS_SHOWN_MAX,
    }
    return render(request, "core/admin_import_errors.html", context)


def _summary(request: HttpRequest, source_name: str, line_count: int, result: ImportResult, token: str) -> HttpResponse:
    in_file = result.created + result.updated + result.unchanged
    context = {
        "source_name": source_name,
        "line_count": line_count,
        "result": result,
        "token": token,
        "preview_minutes": PREVIEW_SECONDS // 60,
        "deactivated_people": result.deactivated_people[:PREVIEW_LIST_MAX],
        "deactivated_more": max(0, len(result.deactivated_people) - PREVIEW_LIST_MAX),
        "new_units": result.new_unit_paths[:PREVIEW_LIST_MAX],
        "new_units_more": max(0, len(result.new_unit_paths) - PREVIEW_LIST_MAX),
        # A wrong file (last year's, another department's) shows up as many people leaving.
        "many_leave": result.deactivated > max(10, in_file // 10),
    }
    return render(request, "core/admin_import_summary.html", context)


def _cache_key(person: Person, token: str) -> str:
    return f"orgimport:{person.municipality_id}:{person.pk}:{token}"


def _keep(person: Person, source_name: str, records: list[orgfile.Record]) -> str:
    token = secrets.token_urlsafe(24)
    payload = {"source": source_name, "records": [[r.line, list(r.values)] for r in records]}
    cache.set(_cache_key(person, token), zlib.compress(json.dumps(payload).encode()), PREVIEW_SECONDS)
    return token


def _take(person: Person, token: str) -> tuple[str, list[orgfile.Record]] | None:
    """The records kept for this person under `token`, once; None if expired, used or not theirs."""
    if not _TOKEN.fullmatch(token):
        return None
    key = _cache_key(person, token)
    stored = cache.get(key)
    cache.delete(key)
    if not isinstance(stored, bytes):
        return None
    payload = json.loads(zlib.decompress(stored))
    records = [orgfile.Record(int(line), tuple(str(v) for v in values)) for line, values in payload["records"]]
    return str(payload["source"]), records


@admin_required
@require_GET
def admin_export(request: PersonRequest, fmt: str) -> StreamingHttpResponse:
    person = request.person
    if fmt not in orgfile.CONTENT_TYPES:
        access.deny()
    if request.GET.get("skabelon"):
        roots = queries.root_unit_names(person)
        chunks = orgfile.write_chunks(orgfile.template_rows(roots[0] if roots else ""), fmt)
        filename = f"organisation-skabelon.{fmt}"
    else:
        chunks = queries.export_organisation(person, fmt)
        filename = f"organisation-{person.municipality.slug}-{timezone.localdate().isoformat()}.{fmt}"
    return exports.download(chunks, fmt=fmt, filename=filename)
