"""Track 4, "Lokal afprøvning og læring": small, safe, time-boxed pilots, the anonymous pulses and
the retrospective that end them, the learning cards they leave, experiences and celebrations
shared across the municipality, and rollouts done the way the seed asks.

The track is large, so its models live in one module per part; this package is what Django
loads. Anonymous parts (pulses, retrospective cards and votes, anonymous experiences, reactions)
inherit from `AnonymousContribution` and store nobody (docs/privacy.md)."""

from .pilot import Pilot, PilotStatusChange

__all__ = ["Pilot", "PilotStatusChange"]
from .rollout import ConcreteProblem, Rollout, RolloutWeek

__all__ += ["ConcreteProblem", "Rollout", "RolloutWeek"]
