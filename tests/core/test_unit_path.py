from __future__ import annotations

from forankring.core.models import ids_in_path
from tests.factories import Personas


def test_it_reads_the_ids_of_a_materialised_path_from_the_root_down():
    assert ids_in_path("/1/5/12/") == [1, 5, 12]
    assert ids_in_path("/7/") == [7]
    assert ids_in_path("") == []


def test_it_gives_a_units_own_path_ids_ending_with_itself(personas: Personas):
    team = personas.team
    assert team.path_ids()[-1] == team.pk
    assert team.path_ids()[0] == personas.root.pk
    assert len(team.path_ids()) == team.depth + 1
