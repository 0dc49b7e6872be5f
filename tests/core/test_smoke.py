from __future__ import annotations

from django.urls import reverse


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_it_shows_the_home_page_in_danish(client_for):
    response = client_for("employee").get(reverse("core:home"))
    assert response.status_code == 200
    assert b'<html lang="da">' in response.content
    assert "Lokal afprøvning og læring" in response.content.decode()


def test_it_sets_a_strict_content_security_policy(client_for):
    response = client_for("employee").get(reverse("core:home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_it_links_leaders_but_not_employees_to_the_concerns_they_read(client_for):
    leader_page = client_for("team_leader").get(reverse("core:home")).content.decode()
    employee_page = client_for("employee").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("privacy:concern_list")}"' in leader_page
    assert f'href="{reverse("privacy:concern_list")}"' not in employee_page
    assert reverse("privacy:concern_new") in employee_page
