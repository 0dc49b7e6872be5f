from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command, load_command_class

from forankring.core import access
from forankring.core.audit import verify_chain
from forankring.core.models import Municipality, Person, Role


def test_it_creates_a_municipality_with_an_administrator(db):
    out = StringIO()
    call_command(
        "create_municipality",
        "Prøvekommune",
        "proeve",
        "--admin-name=Alma Admin",
        "--admin-username=alma",
        stdout=out,
    )
    municipality = Municipality.objects.get(slug="proeve")
    password = out.getvalue().split("One-time password for alma: ")[1].split()[0]
    user = authenticate(username="alma", password=password)
    assert user is not None
    admin = Person.objects.get(user=user, municipality=municipality)
    assert access.has_role(admin, Role.ADMIN)
    assert verify_chain(municipality).problem is None


def test_it_refuses_a_taken_slug(db):
    call_command("create_municipality", "A Kommune", "a", "--admin-name=A", "--admin-username=a", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_municipality", "B Kommune", "a", "--admin-name=B", "--admin-username=b", stdout=StringIO())
    assert not Municipality.objects.filter(name="B Kommune").exists()


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        (["--admin-name=Jens 150372-1240"], "core.Person.name"),
        (["--root-unit=Direktion 150372-1240"], "core.Unit.name"),
        (["--admin-username=150372-1240"], "auth.User.username"),
        (["--admin-email=150372-1240@proeve.test"], "core.Person.email"),
    ],
)
def test_it_refuses_a_cpr_number_in_an_argument_with_a_clear_message(db, arguments, field):
    options = {"--admin-name": "Alma", "--admin-username": "alma"}
    options.update(dict(a.split("=", 1) for a in arguments))
    with pytest.raises(CommandError) as refused:
        call_command("create_municipality", "Prøvekommune", "proeve", *(f"{k}={v}" for k, v in options.items()))
    message = str(refused.value)
    assert message.startswith(f"{field}: ")
    assert "150372-XXXX" in message
    assert "1240" not in message
    assert not Municipality.objects.filter(slug="proeve").exists()
    assert not Person.objects.exists()


def test_it_refuses_a_cpr_number_in_the_name_as_a_clear_error_not_a_traceback(db, capsys):
    # As the operator runs it (run_from_argv, like manage.py): one line on stderr, exit status 1.
    command = load_command_class("forankring.core", "create_municipality")
    argv = ["manage.py", "create_municipality", "Kommune 150372-1240", "k", "--admin-name=A", "--admin-username=a"]
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(argv)
    assert exit_.value.code == 1
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert error.startswith("CommandError: name: ")
    assert "150372-XXXX" in error
