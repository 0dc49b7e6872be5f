"""The users of `benchmarks/load.py` (run it, not this file): people of the large municipality
who are signed in and open the main pages, and, in the same run, as many who open a trivial
page, the floor the main pages are compared with.

Every request is named "main" or "floor", so locust's statistics give each group's own
percentiles. The people are the generated municipality's personas (`generate_municipality`);
LOAD_SLUG says which municipality (default storby), LOAD_SESSIONS the file of their sessions.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from typing import Any

from locust import HttpUser, constant, task

SLUG = os.environ.get("LOAD_SLUG", "storby")
# Persona kind -> the pages that person opens, in turn. Object pages are found at sign-in.
PAGES: dict[str, list[str]] = {
    "direktion": ["/", "/organisation/", "{unit}", "/privatliv/bekymringer/", "/privatliv/data-og-vaerktoejer/"],
    "centerchef": ["/", "/organisation/", "{unit}", "/privatliv/bekymringer/", "/mig/"],
    "teamleder": ["/", "{unit}", "/privatliv/bekymringer/", "/organisation/?q=team+1"],
    "medarbejder": ["/", "/organisation/", "{unit}", "/privatliv/bekymringer/ny/", "/mig/"],
    "med": ["/", "/privatliv/bekymringer/", "/organisation/", "/privatliv/data-og-vaerktoejer/"],
    "admin": ["/", "/administration/personer/", "/administration/personer/?q=hansen", "/organisation/"],
}
FLOOR = "/overblik/"
_kinds = itertools.cycle(sorted(PAGES))
_OWN_UNIT = re.compile(r'href="(/organisation/\d+/)"')


class _SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0)  # a closed loop: each user sends its next request when the last is answered

    def on_start(self) -> None:
        self.kind = next(_kinds)
        # Signed in already: load.py made a session per persona, because hashing passwords
        # (deliberately slow) for every client would take the first part of the run.
        with open(os.environ["LOAD_SESSIONS"], encoding="utf-8") as f:
            sessions = json.load(f)
        self.client.cookies.set(sessions["cookie"], sessions[self.kind])
        if not os.environ.get("LOAD_KEEP_ALIVE"):
            # A connection per request: gunicorn's workers then share every request between
            # them. A kept-open connection stays with the worker that accepted it for the whole
            # run, so where ten main-page and ten floor clients happened to land decided the
            # figures more than what the pages cost (0.42 to 0.90 in four runs of the same code).
            self.client.headers["Connection"] = "close"
        response = self.client.get("/", name="sign-in")
        assert "/log-ind/" not in response.url, f"{SLUG}-{self.kind} is not signed in"
        # The home page links to the person's own units; the first is their "unit page".
        own = _OWN_UNIT.search(response.text)
        self.unit = own.group(1) if own else "/organisation/"
        self.pages = itertools.cycle(PAGES[self.kind])


class MainPages(_SignedIn):
    @task
    def open_next(self) -> None:
        url = next(self.pages).format(unit=self.unit)
        self.client.get(url, name="main")


class FloorPage(_SignedIn):
    @task
    def open_floor(self, *args: Any) -> None:
        self.client.get(FLOOR, name="floor")
