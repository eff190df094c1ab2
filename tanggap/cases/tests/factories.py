"""Suggestion models for tests: the invented fixture learnt against a test's own choices."""

from functools import cache
from types import SimpleNamespace

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import (
    CategoryFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
)
from tanggap.insights import classifier
from tanggap.insights.models import SuggestionTarget
from tanggap.insights.tests import synthetic

from ..suggestions import suggestion_model_store

AGENCIES = list(synthetic.AGENCIES)
# Fixed primary keys, so the fitted model (a label is a pk) is fitted once per test session.
UNIT_PKS = range(9101, 9101 + len(AGENCIES))
CATEGORY_PKS = range(9201, 9201 + len(AGENCIES))


@cache
def fitted_for(labels: tuple[str, ...]) -> classifier.Fitted:
    """Return the fixture's model with its six agencies renamed to *labels*, in order."""
    texts, agencies = synthetic.examples(360)
    rename = dict(zip(AGENCIES, labels, strict=True))
    return classifier.fit(texts, [rename[a] for a in agencies])


def city(*, officer_username: str = "petugas-kota") -> SimpleNamespace:
    """Return an organisation with a root unit, one sub-unit and one category per agency, and
    an officer of the root unit (who may dispose to every sub-unit)."""
    root = UnitFactory(pk=9100, name="Pusat Pengaduan Kota")
    units = [
        UnitFactory(pk=pk, organisation=root.organisation, parent=root, name=name)
        for pk, name in zip(UNIT_PKS, AGENCIES, strict=True)
    ]
    categories = [
        CategoryFactory(pk=pk, organisation=root.organisation, name=f"Urusan {name}")
        for pk, name in zip(CATEGORY_PKS, AGENCIES, strict=True)
    ]
    officer = UserFactory(username=officer_username)
    MembershipFactory(user=officer, unit=root, role=Role.OFFICER)
    return SimpleNamespace(
        organisation=root.organisation,
        root=root,
        units=dict(zip(AGENCIES, units, strict=True)),
        categories=dict(zip(AGENCIES, categories, strict=True)),
        officer=officer,
    )


def ready_models(town: SimpleNamespace) -> None:
    """Store a ready category model and a ready unit model for *town* (see city())."""
    for target, choices in (
        (SuggestionTarget.UNIT, town.units),
        (SuggestionTarget.CATEGORY, town.categories),
    ):
        fitted = fitted_for(tuple(str(choices[a].pk) for a in AGENCIES))
        suggestion_model_store(
            organisation=town.organisation, target=target, fitted=fitted, examples=fitted.size
        )
