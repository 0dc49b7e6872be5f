"""The privacy rules that are numbers, each written once (PRIVACY.md).

Imported by the settings as well as by models, so nothing here may import Django models.
"""

from __future__ import annotations

from typing import Final

# The smallest group whose figures may be shown outside the group: no municipality, and no
# deployment through the K_MIN setting, may go below it.
K_MIN_FLOOR: Final = 3
