"""Track 4, "Lokal afprøvning og læring": small, safe, time-boxed pilots, the anonymous pulses and
the retrospective that end them, the learning cards they leave, experiences and celebrations
shared across the municipality, and rollouts done the way the seed asks.

The track is large, so its models live in one module per part; this package is what Django
loads. Anonymous parts (pulses, retrospective cards and votes, anonymous experiences, reactions)
inherit from `AnonymousContribution` and store nobody (docs/privacy.md)."""

from .pilot import Pilot, PilotStatusChange
from .pulse import PilotPulse, PulseAnswer, PulseReceipt
from .retro import RetroAction, RetroBoard, RetroCard, RetroGroup, RetroVote, RetroVoteReceipt
from .rollout import ConcreteProblem, Rollout, RolloutWeek
from .sharing import (
    AnonymousExperience,
    Celebration,
    CelebrationReceipt,
    Experience,
    ExperienceReminder,
    LearningCard,
    Reaction,
)

__all__ = [
    "AnonymousExperience",
    "Celebration",
    "CelebrationReceipt",
    "ConcreteProblem",
    "Experience",
    "ExperienceReminder",
    "LearningCard",
    "Pilot",
    "PilotPulse",
    "PilotStatusChange",
    "PulseAnswer",
    "PulseReceipt",
    "Reaction",
    "RetroAction",
    "RetroBoard",
    "RetroCard",
    "RetroGroup",
    "RetroVote",
    "RetroVoteReceipt",
    "Rollout",
    "RolloutWeek",
]
