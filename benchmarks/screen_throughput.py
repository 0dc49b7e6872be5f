"""Throughput of the personal-data screen on ~5 MB of Danish text.

Run: python benchmarks/screen_throughput.py [--megabytes 5] [--repeat 3]

Every save of a free-text field goes through the screen, and imports screen whole documents, so
a regression here is felt. The text is seeded, so figures are comparable between runs; the
findings count doubles as a check that the screen still finds what it should.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# Runnable as a plain script from the repository root, without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forankring.privacy.screen import screen_text

SEED = 20261126

SUBJECTS = [
    "Borgeren",
    "Teamet i hjemmeplejen",
    "Dagplejeren",
    "Sagsbehandleren",
    "Pædagogen på stuen",
    "Lederen af plejecentret",
    "MED-udvalget",
    "Visitatoren",
    "Sygeplejersken",
    "Forældrerådet",
]
VERBS = [
    "har drøftet",
    "har afprøvet",
    "ønsker at evaluere",
    "har beskrevet",
    "er bekymret for",
    "har fået overblik over",
    "vil gerne styrke",
    "har dokumenteret",
]
OBJECTS = [
    "brugen af sprogmodeller til referater",
    "den nye vagtplan",
    "overgangen fra vuggestue til børnehave",
    "hjælpemidler i hjemmet",
    "genoptræningsforløbet",
    "tilsynsrapporten fra sidste måned",
    "retningslinjerne for AI i kommunen",
    "madservice til ældre borgere",
    "samarbejdet med pårørende",
]
TAILS = [
    "i løbet af ugen.",
    "på personalemødet.",
    "efter aftale med lederen.",
    "uden at dele personoplysninger.",
    "sammen med kollegerne.",
    "før næste budgetopfølgning.",
]


def _number(rng: random.Random) -> str:
    """One of the number shapes the screen has to decide about, hits and misses alike."""
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(0, 99)
    serial = rng.randint(0, 9999)
    choice = rng.randrange(10)
    if choice == 0:
        return f"cpr {day:02d}{month:02d}{year:02d}-{serial:04d}"
    if choice == 1:
        return f"fakturanr. {day:02d}{month:02d}{year:02d}{serial:04d}"
    if choice == 2:
        return f"ring {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
    if choice == 3:
        return f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d},{rng.randint(0, 99):02d} kr."
    if choice == 4:
        return f"d. {day:02d}.{month:02d}.2026 kl. {rng.randint(7, 16)}:{rng.choice(('00', '15', '30', '45'))}"
    if choice == 5:
        return f"skriv til bruger{serial}@norddjurs.dk"
    if choice == 6:
        return f"sag {rng.randint(10**11, 10**12 - 1)}"
    if choice == 7:
        return f"{day + 60:02d}{month:02d}{year:02d}{serial:04d}"
    if choice == 8:
        return f"postnummer {rng.choice((8500, 8560, 8570, 8585, 8586))}"
    return f"{rng.randint(2, 40)} borgere"


def build_text(megabytes: float, *, seed: int = SEED) -> str:
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        sentence = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}"
        # Roughly one sentence in eight carries a number, like real case notes.
        if rng.random() < 0.125:
            sentence = f"{sentence[:-1]} ({_number(rng)})."
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
        if rng.random() < 0.1:
            parts.append("\n")
    return " ".join(parts)


def _measure(run: Callable[[], int], size_mb: float, repeat: int) -> tuple[float, int]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - started)
    return size_mb / best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    text = build_text(args.megabytes)
    size_mb = len(text.encode("utf-8")) / 1_000_000
    # Forms screen one field at a time, so measure both one big text and many paragraphs.
    paragraphs = text.split("\n")
    print(f"text: {size_mb:.2f} MB, {len(paragraphs)} paragraphs, python {sys.version.split()[0]}")

    for anonymous in (False, True):
        label = "anonymous" if anonymous else "named"

        def whole(anonymous: bool = anonymous) -> int:
            return len(screen_text(text, anonymous=anonymous))

        def fields(anonymous: bool = anonymous) -> int:
            return sum(len(screen_text(paragraph, anonymous=anonymous)) for paragraph in paragraphs)

        for shape, run in (("one text", whole), ("per paragraph", fields)):
            speed, count = _measure(run, size_mb, args.repeat)
            print(f"{label:9} {shape:13} {speed:7.1f} MB/s  {count} findings")

    kinds = Counter(finding.kind.value for finding in screen_text(text, anonymous=True))
    print("findings by kind (anonymous):", ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
