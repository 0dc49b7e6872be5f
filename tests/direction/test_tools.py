"""The tool register, the versioned data rules and "Må jeg bruge …?"."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forankring.core.demo import load_demo
from forankring.core.models import AuditEvent, Person
from forankring.direction import actions
from forankring.direction.models import RulesVersion, Tool
from forankring.privacy.data_classes import DEFAULT_ALLOWANCES, ensure_default_data_classes
from forankring.privacy.models import DataClass, TierAllowance, ToolTier
from tests.factories import make_tool

ANSWER = re.compile(r'<div class="app-answer app-(\w+)" role="status">\s*<h2>([^<]+)</h2>')


def expected_answer(tool: Tool, class_key: str) -> str:
    """The rule as the issue states it, written out again: the tool must be approved, the tier
    must not forbid the data, the tool may be stricter than its tier, and "only if" stays."""
    if tool.status != "approved":
        return "not_allowed"
    state = DEFAULT_ALLOWANCES.get((class_key, tool.tier.key), ("not_allowed", ("", "")))[0]
    if state == "not_allowed" or class_key not in {dc.key for dc in tool.data_classes.all()}:
        return "not_allowed"
    return state


@pytest.mark.django_db
def test_it_answers_may_i_use_right_for_every_demo_tool_and_data_class(client):
    load_demo()
    employee = Person.objects.get(user__username="medarbejder")
    client.force_login(employee.user)
    tools = list(Tool.objects.filter(municipality=employee.municipality).select_related("tier"))
    classes = list(DataClass.objects.filter(municipality=employee.municipality))
    assert 8 <= len(tools) <= 10 and len({t.tier.key for t in tools}) == 4
    seen = set()
    for tool in tools:
        for data_class in classes:
            page = client.get(reverse("direction:may_i_use"), {"tool": tool.pk, "data_class": data_class.pk})
            found = ANSWER.search(page.content.decode())
            assert found, f"{tool.name} × {data_class.key}: no answer"
            want = expected_answer(tool, data_class.key)
            assert found.group(1) == want, f"{tool.name} × {data_class.key}: {found.group(1)}, expected {want}"
            seen.add(want)
    assert seen == {"allowed", "only_if", "not_allowed"}, "the demo should show all three answers"


def test_it_says_why_and_whom_to_ask(personas, client_for):
    tool = make_tool(personas.municipality, data=("public", "internal", "personal"))
    data_class = DataClass.objects.get(municipality=personas.municipality, key="personal")
    page = client_for("employee").get(reverse("direction:may_i_use"), {"tool": tool.pk, "data_class": data_class.pk})
    text = page.content.decode()
    assert "<h2>Ja</h2>" in text
    assert "Skriv fx initialer i stedet for navne." in text  # the rule's example
    assert "Fagligt ejer" in text and "IT-drift" in text  # whom to ask


def test_it_finds_tools_by_a_word_from_the_task(personas, client_for):
    make_tool(personas.municipality, name="Mødereferenten")
    make_tool(personas.municipality, name="Oversætteren")
    page = client_for("employee").get(reverse("direction:may_i_use"), {"q": "referent"}).content.decode()
    assert "Mødereferenten</option>" in page and "Oversætteren</option>" not in page


def test_it_refuses_a_tool_looser_than_its_tier_and_saves_nothing(personas):
    ensure_default_data_classes(personas.municipality)
    tier = ToolTier.objects.get(municipality=personas.municipality, key="enterprise")
    cpr = DataClass.objects.get(municipality=personas.municipality, key="cpr")
    values = dict.fromkeys(actions.TOOL_FIELDS, "") | {
        "name": "Chatten",
        "status": "approved",
        "dpa_status": "done",
        "dpia_status": "none",
        "licences": None,
        "yearly_cost": None,
    }
    with pytest.raises(ValidationError) as refused:
        actions.save_tool(actor=personas.it, tool=None, tier=tier, data_classes=[cpr], values=values)
    assert "CPR-numre" in refused.value.message_dict["data_classes"][0]
    assert not Tool.objects.exists()
    # Stricter than the tier is fine: an enterprise tool for public data only.
    public = DataClass.objects.get(municipality=personas.municipality, key="public")
    tool = actions.save_tool(actor=personas.it, tool=None, tier=tier, data_classes=[public], values=values)
    assert list(tool.data_classes.values_list("key", flat=True)) == ["public"]
    assert AuditEvent.objects.filter(action="direction.tool.add").count() == 1


def test_it_shows_the_looser_data_class_error_beside_the_field(personas, client_for):
    ensure_default_data_classes(personas.municipality)
    m = personas.municipality
    form = {
        "name": "Chatten",
        "tier": ToolTier.objects.get(municipality=m, key="consumer").pk,
        "data_classes": [DataClass.objects.get(municipality=m, key="personal").pk],
        "status": "approved",
        "dpa_status": "none",
        "dpia_status": "none",
    }
    response = client_for("it").post(reverse("direction:tool_new"), form)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_data_classes-error"' in page and "Almindelige personoplysninger" in page
    assert 'value="Chatten"' in page
    assert not Tool.objects.exists()


def test_it_lets_only_it_edit_tools(personas, client_for):
    tool = make_tool(personas.municipality)
    assert client_for("executive").get(reverse("direction:tool_edit", args=[tool.pk])).status_code == 404
    assert client_for("it").get(reverse("direction:tool_edit", args=[tool.pk])).status_code == 200


def test_it_lists_tools_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    make_tool(personas.municipality, name="Første")

    def grow():
        for i in range(4):
            make_tool(personas.municipality, name=f"Værktøj {i}", data=("public", "internal", "personal"))

    assert_num_queries_stable(client_for("employee"), reverse("direction:tools"), grow)


def test_it_shows_the_register_in_english(personas, client_for):
    make_tool(personas.municipality)
    client = client_for("employee")
    client.post(reverse("set_language"), {"language": "en"})
    page = client.get(reverse("direction:tools")).content.decode()
    assert "Business tools with a data processing agreement" in page and "Public information" in page


# --- The data rules in versions --------------------------------------------------------------


def _form(personas, **changes: str) -> dict[str, str]:
    """The matrix form as it stands, with `changes` ("cpr×enterprise": state) applied."""
    data = {"note": "Strammere regler for interne dokumenter"}
    for a in TierAllowance.objects.filter(municipality=personas.municipality).select_related("data_class", "tool_tier"):
        prefix = f"c{a.data_class_id}_t{a.tool_tier_id}"
        data[f"{prefix}_state"] = changes.get(f"{a.data_class.key}×{a.tool_tier.key}", a.state)
        data[f"{prefix}_note"] = a.note
        data[f"{prefix}_note_en"] = a.note_en
    return data


def test_it_saves_each_change_of_the_rules_as_a_new_version(personas, client_for):
    tool = make_tool(personas.municipality, data=("public", "internal"))
    client = client_for("executive")
    response = client.post(reverse("direction:data_rules"), _form(personas, **{"internal×enterprise": "not_allowed"}))
    assert response.status_code == 302
    version = RulesVersion.objects.get(municipality=personas.municipality)
    assert version.number == 1 and version.rules["internal"]["enterprise"][0] == "not_allowed"
    # No tool stays looser than its tier: the tool loses the class in the same step.
    assert list(tool.data_classes.values_list("key", flat=True)) == ["public"]
    event = AuditEvent.objects.get(action="direction.data_rules")
    assert event.changes["removed_from_tools"] == [f"{tool.name}: internal"]
    client.post(reverse("direction:data_rules"), _form(personas, **{"internal×enterprise": "allowed"}))
    assert list(RulesVersion.objects.values_list("number", flat=True)) == [2, 1]
    assert "Strammere regler for interne dokumenter" in client.get(reverse("direction:data_rules")).content.decode()


def test_it_lets_only_the_direktion_and_it_change_the_rules(personas, client_for):
    ensure_default_data_classes(personas.municipality)
    response = client_for("med").post(reverse("direction:data_rules"), _form(personas))
    assert response.status_code == 404
    assert not RulesVersion.objects.exists()
    assert "Ret reglerne" not in client_for("employee").get(reverse("direction:data_rules")).content.decode()


# --- The municipality's own names, in two languages ------------------------------------------


def _names_form(personas, **changes: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for kind, model in (("class", DataClass), ("tier", ToolTier)):
        for row in model.objects.filter(municipality=personas.municipality):
            for field in ("name", "description", "name_en", "description_en"):
                data[f"{kind}{row.pk}_{field}"] = changes.get(f"{kind}:{row.key}:{field}", getattr(row, field))
    return data


def test_it_lets_the_municipality_rename_a_data_class_in_both_languages(personas, client_for):
    ensure_default_data_classes(personas.municipality)
    form = _names_form(personas, **{"class:cpr:name": "Personnumre", "class:cpr:name_en": "Personal numbers"})
    response = client_for("it").post(reverse("direction:data_names"), form)
    assert response.status_code == 302
    cpr = DataClass.objects.get(municipality=personas.municipality, key="cpr")
    assert (cpr.name, cpr.name_en) == ("Personnumre", "Personal numbers")
    assert AuditEvent.objects.filter(action="direction.data_names").count() == 1
    client = client_for("employee")
    client.post(reverse("set_language"), {"language": "en"})
    assert '<h3 class="h4">Personal numbers</h3>' in client.get(reverse("privacy:data_tools")).content.decode()


def test_it_refuses_two_data_classes_with_one_name_beside_the_field(personas, client_for):
    ensure_default_data_classes(personas.municipality)
    form = _names_form(personas, **{"class:cpr:name": "Offentlige oplysninger"})
    response = client_for("it").post(reverse("direction:data_names"), form)
    page = response.content.decode()
    assert response.status_code == 200 and "form-error-message" in page
    assert DataClass.objects.get(municipality=personas.municipality, key="cpr").name == "CPR-numre"
    assert not AuditEvent.objects.filter(action="direction.data_names").exists()


def test_it_lists_rule_versions_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    ensure_default_data_classes(personas.municipality)
    actions.save_data_rules(actor=personas.executive, cells={}, note="Første version")

    def grow():
        for i in range(3):
            actions.save_data_rules(actor=personas.it, cells={}, note=f"Version {i}")

    assert_num_queries_stable(client_for("executive"), reverse("direction:data_rules"), grow)


def test_it_teaches_the_name_check_the_tool_register(personas):
    from forankring.privacy import roster
    from forankring.privacy.names import find_names

    # A tool named like a person (a real pattern: assistants get first names) is not a colleague.
    text = "Vi har prøvet Karen Hansen til referater."
    assert find_names(text, roster.index_for(personas.municipality.pk)) != []
    make_tool(personas.municipality, name="Karen Hansen")
    roster.invalidate(personas.municipality.pk)
    assert find_names(text, roster.index_for(personas.municipality.pk)) == []


def test_it_asks_for_the_kind_of_data_when_only_a_tool_is_chosen(personas, client_for):
    tool = make_tool(personas.municipality)
    page = client_for("employee").get(reverse("direction:may_i_use"), {"tool": tool.pk, "data_class": ""})
    text = page.content.decode()
    assert "Vælg den slags data, du vil bruge det til." in text and 'class="app-answer' not in text
    assert f'<option value="{tool.pk}" selected>' in text  # the choice is kept


def test_it_shows_no_errors_for_a_search_and_chooses_the_one_tool_found(personas, client_for):
    tool = make_tool(personas.municipality, name="Mødereferenten")
    make_tool(personas.municipality, name="Oversætteren")
    page = client_for("employee").get(reverse("direction:may_i_use"), {"q": "referent", "soeg": "1", "tool": ""})
    text = page.content.decode()
    assert "form-error-message" not in text
    assert f'<option value="{tool.pk}" selected>' in text


def test_it_lists_the_tools_that_may_be_used_first(personas, client_for):
    make_tool(personas.municipality, name="Aaa forbudt", status="not_allowed")
    make_tool(personas.municipality, name="Bbb vurderes", status="review")
    make_tool(personas.municipality, name="Ccc godkendt", status="approved")
    text = client_for("employee").get(reverse("direction:tools")).content.decode()
    assert text.index("Ccc godkendt") < text.index("Bbb vurderes") < text.index("Aaa forbudt")
