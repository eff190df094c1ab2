"""Sweep every route an anonymous visitor can GET: no confidential report, no identifier.

The routes come from the URL resolver, so pages, feeds and exports added later by any app are
covered without touching this test. Path parameters are filled from the fixtures (references,
tracking codes, ids, formats); a route that needs a value this test cannot guess answers 404
and is still checked.
"""

import itertools
import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from tanggap.cases.workflow import case_edit
from tanggap.intake.tests.factories import submit_report

from .conftest import publish_case

pytestmark = pytest.mark.django_db

# Staff-only areas redirect an anonymous visitor to the login page; the admin is Django's.
SKIPPED_PREFIXES = ("admin/",)
FORMATS = ["json", "xml", "csv"]
MAX_COMBINATIONS = 60
SEARCH_PARAMS = ["q", "search", "query", "status", "unit"]


def _routes(patterns=None, prefix="", namespace=""):
    """Yield (route text, full name, parameter names) of every named URL pattern."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            params = list(p.pattern.regex.groupindex) + list(
                getattr(p.pattern, "converters", {}).keys()
            )
            yield prefix + str(p.pattern), f"{namespace}{p.name}", list(dict.fromkeys(params))


def _values(name: str, world) -> list:
    if name in {"fmt", "format"}:
        return FORMATS
    if name.endswith("id") or name in {"pk", "id"}:
        return sorted(world.ids)
    return world.strings


def _urls(world):
    for route, name, params in _routes():
        if route.startswith(SKIPPED_PREFIXES):
            continue
        combos = itertools.product(*[_values(p, world) for p in params])
        for combo in itertools.islice(combos, MAX_COMBINATIONS):
            try:
                yield reverse(name, kwargs=dict(zip(params, combo, strict=True)))
            except NoReverseMatch:
                continue


@pytest.fixture
def sweep_world(portal_world, spkt, officer):
    """The portal's world plus a case made confidential after it was published."""
    flipped = submit_report(spkt, title="Lampu jalan padam", description="Lampu padam.").report
    publish_case(flipped.case, officer)
    case_edit(case=flipped.case, by=officer, changes={"is_confidential": True})
    world = portal_world
    cases = [world.published.case, world.confidential.case, world.unpublished.case, flipped.case]
    reports = [world.confidential, world.unpublished, flipped]
    world.secrets += [flipped.case.reference, flipped.tracking_code, "Lampu jalan padam"]
    world.ids = {c.pk for c in cases} | {r.pk for r in reports} | {spkt.pk, 1}
    world.strings = [
        *(c.reference for c in cases),
        *(r.tracking_code for r in reports),
        spkt.slug if hasattr(spkt, "slug") else "x",
        "x",
    ]
    return world


def _leaks(content: str, needles, url: str) -> list[str]:
    # Pages echo their own address (the language switch's "next"); the address is not a leak.
    for echo in (url, quote(url), quote(url, safe="")):
        content = content.replace(echo, "")
    return [n for n in needles if n.lower() in content.lower()]


def test_no_public_url_shows_a_confidential_report_or_an_identifier(client, sweep_world):
    # given published, confidential, made-confidential and unpublished cases full of identifiers
    checked, problems, failures = 0, [], []
    client.raise_request_exception = False
    # when every GET route is fetched anonymously, plain and with search parameters
    for url in dict.fromkeys(_urls(sweep_world)):
        response = client.get(url)
        checked += 1
        if response.status_code >= 500:
            failures.append(url)
        content = response.content.decode("utf-8", errors="ignore")
        found = _leaks(content, sweep_world.secrets + sweep_world.identifiers, url)
        if found:
            problems.append((url, response.status_code, found))
        if response.status_code != 200:
            continue
        for param in SEARCH_PARAMS:
            for word in ("Kenariwangi", "Pungutan", "Lampu"):
                searched = client.get(url, {param: word})
                text = searched.content.decode("utf-8", errors="ignore")
                # The searched word itself may be echoed in the search box; nothing else may.
                needles = [s for s in sweep_world.secrets if s.lower() != word.lower()]
                full = f"{url}?{param}={word}"
                if found := _leaks(text, needles + sweep_world.identifiers, full):
                    problems.append((full, searched.status_code, found))
    # then nothing leaked, and the sweep really visited the portal and the exports
    assert problems == []
    # and no public page crashed on what a visitor can type into the address bar
    assert failures == []
    assert checked > 30


def test_sweep_reaches_the_portal_and_the_open_data(sweep_world):
    # given the generated URLs
    urls = set(_urls(sweep_world))
    # then the published case's page and every public listing are among them
    assert reverse("portal:detail", args=[sweep_world.published.case.reference]) in urls
    for name in ("portal:list", "portal:map_data", "portal:feed"):
        assert reverse(name) in urls
    assert any(re.search(r"/open311/v2/requests\.(json|xml)$", u) for u in urls)


def test_the_published_case_is_really_public(client, sweep_world):
    # given the sweep's world: a sanity check that the sweep would see a leak if there were one
    page = client.get(reverse("portal:detail", args=[sweep_world.published.case.reference]))
    assert page.status_code == 200
    assert sweep_world.published.case.reference in page.content.decode()
