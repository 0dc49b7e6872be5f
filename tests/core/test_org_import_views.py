"""The administrator's pages for the organisation file: upload, dry run, confirm, export."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from forankring.core.models import AuditEvent, Person, Unit
from tests.core.orgdata import inject_bad_lines, make_rows, snapshot, to_csv, to_xlsx

URL = reverse("core:admin_import")


def upload(client, data: bytes, name: str = "ansatte.csv"):
    return client.post(URL, {"step": "preview", "file": SimpleUploadedFile(name, data)})


def token_of(response) -> str:
    found = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert found, "the summary page has no confirmation form"
    return found.group(1)


def confirm(client, token: str):
    return client.post(URL, {"step": "confirm", "token": token}, follow=True)


def test_it_shows_the_upload_form_the_columns_and_a_template(client_for):
    response = client_for("admin").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert 'enctype="multipart/form-data"' in html
    assert "Højst 10 MB og 50.000 linjer." in html
    assert 'aria-describedby="id_file-hint"' in html
    for header in ("medarbejdernummer", "navn", "email", "enhed", "stilling", "fagområde", "leder"):
        assert f"<code>{header}</code>" in html
    assert reverse("core:admin_export", args=["csv"]) + "?skabelon=1" in html
    assert reverse("core:admin_export", args=["xlsx"]) in html


@pytest.mark.parametrize("persona", ["employee", "team_leader", "centre_chief", "executive", "it", "med"])
def test_it_is_not_there_for_anyone_but_an_administrator(client_for, personas, persona):
    client = client_for(persona)
    before = snapshot(personas.municipality)
    assert client.get(URL).status_code == 404
    assert upload(client, to_csv(make_rows(20))).status_code == 404
    assert client.get(reverse("core:admin_export", args=["csv"])).status_code == 404
    assert snapshot(personas.municipality) == before


def test_it_lists_every_bad_line_beside_its_reason_and_saves_nothing(client_for, personas):
    rows, bad_lines = inject_bad_lines(make_rows(2000))
    before = snapshot(personas.municipality)
    response = upload(client_for("admin"), to_xlsx(rows), "ansatte.xlsx")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Filen kan ikke indlæses" in html
    assert "Der er fejl på 5 linjer" in html
    reported = [int(n) for n in re.findall(r"<tr><td data-title=\"Linje\">(\d+)</td>", html)]
    assert reported == bad_lines
    assert "Mangler medarbejdernummer." in html
    assert "Ugyldig e-mail: ikke-en-mail@" in html
    assert "står også på linje 12" in html
    assert "Leder skal være ja eller nej" in html
    assert "010190-XXXX" in html and "010190-1234" not in html
    assert "Ret filen og prøv igen" in html
    assert 'name="token"' not in html
    assert snapshot(personas.municipality) == before


def test_it_shows_what_will_happen_and_imports_only_when_confirmed(client_for, personas):
    client = client_for("admin")
    before = snapshot(personas.municipality)
    response = upload(client, to_csv(make_rows(2000)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kontrollér indlæsningen" in html
    assert re.search(r"Nye medarbejdere</th><td[^>]*>1952<", html)
    assert re.search(r"Nye enheder</th><td[^>]*>85<", html)
    assert "Erik Medarbejder" in html  # the persona with an employee number who is not in the file
    assert "Gennemfør indlæsning" in html
    assert snapshot(personas.municipality) == before  # the dry run wrote nothing

    done = confirm(client, token_of(response))
    assert done.redirect_chain[-1][0] == URL
    assert "Organisationen er indlæst. Nye medarbejdere: 1952. Ændrede: 0. Gjort inaktive: 1." in done.content.decode()
    assert Person.objects.filter(municipality=personas.municipality, employee_id__startswith="1").count() == 1952
    assert not Person.objects.get(pk=personas.employee.pk).is_active
    assert AuditEvent.objects.filter(municipality=personas.municipality, action="organisation.import").count() == 1


def test_it_says_there_is_nothing_to_do_when_the_same_file_comes_again(client_for, personas):
    client = client_for("admin")
    data = to_csv(make_rows(300))
    confirm(client, token_of(upload(client, data)))
    after = snapshot(personas.municipality)
    again = upload(client, data).content.decode()
    assert "Intet at ændre" in again
    assert "Gennemfør indlæsning" not in again
    assert snapshot(personas.municipality) == after


def test_it_uses_a_confirmation_once_and_only_for_the_person_who_checked_the_file(client_for, personas):
    admin = client_for("admin")
    token = token_of(upload(admin, to_csv(make_rows(50))))
    before = snapshot(personas.municipality)
    other_before = snapshot(personas.other_municipality)
    outsider = confirm(client_for("outsider"), token)
    assert "udløbet eller allerede brugt" in outsider.content.decode()
    assert snapshot(personas.municipality) == before
    assert snapshot(personas.other_municipality) == other_before

    assert "Organisationen er indlæst" in confirm(admin, token).content.decode()
    # A second confirmation (a double click, a retry) is a repeat of the first: nothing more happens.
    assert "Formularen var allerede sendt" in confirm(admin, token).content.decode()
    assert "udløbet eller allerede brugt" in confirm(admin, "not-a-token").content.decode()


def test_it_checks_the_file_again_when_it_is_confirmed(client_for, personas):
    client = client_for("admin")
    token = token_of(upload(client, to_csv(make_rows(50))))
    # Between the dry run and the confirmation someone renames the top unit.
    Unit.objects.filter(pk=personas.root.pk).update(name="Direktion")
    before = snapshot(personas.municipality)
    response = confirm(client, token)
    assert "Filen kan ikke indlæses" in response.content.decode()
    assert "kommunens øverste enhed hedder »Direktion«" in response.content.decode()
    assert snapshot(personas.municipality) == before


def test_it_imports_the_outsiders_file_into_their_own_municipality_only(client_for, personas):
    client = client_for("outsider")
    before = snapshot(personas.municipality)
    rows = make_rows(40)
    confirm(client, token_of(upload(client, to_csv(rows))))
    assert snapshot(personas.municipality) == before
    assert Person.objects.filter(municipality=personas.other_municipality, employee_id=rows[0][0]).exists()
    assert not Person.objects.filter(municipality=personas.municipality, employee_id=rows[0][0]).exists()


def test_it_refuses_a_file_that_would_make_the_administrator_inactive(client_for, personas):
    Person.objects.filter(pk=personas.admin.pk).update(employee_id="ADM1")
    response = upload(client_for("admin"), to_csv(make_rows(20)))
    html = response.content.decode()
    assert "Filen kan ikke indlæses" in html
    assert "dit medarbejdernummer ADM1" in html
    assert 'name="token"' not in html


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("ansatte.pdf", b"%PDF-1.4", "Filen skal være en CSV-fil eller en Excel-fil (.xlsx)."),
        ("ansatte.xls", b"\xd0\xcf\x11\xe0", "Gamle Excel-filer (.xls)"),
        ("ansatte.csv", b"", "Filen er tom."),
    ],
)
def test_it_explains_a_wrong_file_beside_the_field(client_for, name, data, message):
    response = upload(client_for("admin"), data, name)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="form-error-message"' in html
    assert message in html
    assert "Der er 1 fejl i formularen" in html


def test_it_explains_a_file_over_the_size_limit(client_for, settings):
    settings.ORG_IMPORT_MAX_BYTES = 1000
    html = upload(client_for("admin"), to_csv(make_rows(50))).content.decode()
    assert "Filen er for stor. Den må højst fylde 1 kB." in html


def test_it_asks_for_a_file_when_none_is_chosen(client_for):
    html = client_for("admin").post(URL, {"step": "preview"}).content.decode()
    assert "Vælg en fil." in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_a_file_that_imports_to_nothing_changed(client_for, personas, fmt):
    client = client_for("admin")
    confirm(client, token_of(upload(client, to_csv(make_rows(200)))))
    response = client.get(reverse("core:admin_export", args=[fmt]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert 'filename="organisation-test-' in response["Content-Disposition"]
    html = upload(client, b"".join(response.streaming_content), f"eksport.{fmt}").content.decode()
    assert "Intet at ændre" in html


def test_it_exports_csv_that_danish_excel_opens(client_for):
    content = b"".join(client_for("admin").get(reverse("core:admin_export", args=["csv"])).streaming_content)
    assert content.startswith(b"\xef\xbb\xbfmedarbejdernummer;navn;email;enhed;stilling;")
    assert b"Erik Medarbejder" in content


def test_it_offers_a_template_under_the_municipalitys_own_top_unit(client_for):
    client = client_for("admin")
    template = client.get(reverse("core:admin_export", args=["csv"]) + "?skabelon=1")
    assert template["Content-Disposition"] == 'attachment; filename="organisation-skabelon.csv"'
    content = b"".join(template.streaming_content)
    assert b"Direktionen / Center for Dagtilbud og Skole" in content
    summary = upload(client, content, "organisation-skabelon.csv").content.decode()
    assert re.search(r"Nye medarbejdere</th><td[^>]*>2<", summary)
    xlsx = client.get(reverse("core:admin_export", args=["xlsx"]) + "?skabelon=1")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert sheet["A1"].value == "medarbejdernummer"


def test_it_has_no_export_in_other_formats(client_for):
    assert client_for("admin").get(reverse("core:admin_export", args=["pdf"])).status_code == 404
