"""Category and unit suggestions at verification, learnt from the organisation's own cases.

Training reads the officers' decisions: the final category of verified cases, and the unit of
cases that were disposed (they carry an "assigned" event), rejected cases left out. The
fitted pipeline is stored in the database row of ``insights.SuggestionModel``, so every web
and worker process on every server reads the same model, it is replaced in one transaction
and backed up with the data; a file under var/ would exist on one server only. The bytes are
signed with SECRET_KEY and checked before unpickling (unpickling runs code): only the training
service writes them, no form or upload can. After a SECRET_KEY change or a scikit-learn
upgrade the stored models are refused until the next training.
"""

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

import sklearn
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from tanggap.accounts.models import Category, Organisation, Unit
from tanggap.accounts.roles import Capability
from tanggap.accounts.scoping import units_for, user_can
from tanggap.insights import classifier
from tanggap.insights.models import ModelStatus, SuggestionModel, SuggestionTarget

from .choices import CaseStatus, EventKind
from .models import Case, CaseEvent

logger = logging.getLogger(__name__)

TARGETS = (SuggestionTarget.CATEGORY, SuggestionTarget.UNIT)
# Suggestions are shown while the officer verifies and disposes the case.
AT_VERIFICATION = (CaseStatus.RECEIVED, CaseStatus.VERIFIED)
SHOWN = 3
# A case's text is its title and its reporters' texts; a long merged case is cut here.
TEXT_LIMIT = 5000
_SALT = "tanggap.cases.suggestions.model"
# The query parameters of the case page's suggestion links, by target.
PICK_PARAMETERS = {
    SuggestionTarget.CATEGORY: "suggested_category",
    SuggestionTarget.UNIT: "suggested_unit",
}
# Fitted pipelines kept in this process, by row id, with the digest they were loaded from.
_CACHE_SIZE = 16
_loaded: OrderedDict[int, tuple[str, object]] = OrderedDict()


@dataclass(frozen=True)
class Suggestion:
    """One suggested choice (a Category or a Unit), its rank and the model's confidence."""

    rank: int
    choice: Category | Unit
    confidence: float

    @property
    def percent(self) -> int:
        """Return the confidence in whole percent."""
        return round(self.confidence * 100)


def configured_policy() -> classifier.Policy:
    """Return the training and display policy from the settings."""
    return classifier.Policy(
        min_examples=settings.SUGGESTION_MIN_CASES,
        min_per_class=settings.SUGGESTION_MIN_PER_CLASS,
        floor=settings.SUGGESTION_CONFIDENCE_FLOOR,
    )


def training_examples(*, organisation: Organisation, target: str) -> tuple[list[str], list[str]]:
    """Return the texts and labels (ids as strings) of the handled cases, oldest first."""
    handled = Case.objects.filter(organisation=organisation, verified_at__isnull=False).exclude(
        status=CaseStatus.REJECTED
    )
    if target == SuggestionTarget.CATEGORY:
        handled, label = handled.filter(category__isnull=False), "category_id"
    else:
        disposed = CaseEvent.objects.filter(case=OuterRef("pk"), kind=EventKind.ASSIGNED)
        handled, label = handled.filter(Exists(disposed)), "unit_id"
    rows = list(
        handled.order_by("-received_at", "-id").values_list("search_text", label)[
            : settings.SUGGESTION_MAX_CASES
        ]
    )
    rows.reverse()
    return [text[:TEXT_LIMIT] for text, _ in rows], [str(value) for _, value in rows]


def _sign(payload: bytes) -> str:
    return salted_hmac(_SALT, payload, algorithm="sha256").hexdigest()


@transaction.atomic
def suggestion_model_store(
    *,
    organisation: Organisation,
    target: str,
    fitted: classifier.Fitted | None = None,
    refusal: classifier.NotEnoughHistory | None = None,
    examples: int = 0,
    seconds: float = 0.0,
) -> SuggestionModel:
    """Replace the organisation's model for *target* with *fitted*, or record the *refusal*."""
    fields = {
        "trained_at": timezone.now(),
        "library_version": sklearn.__version__,
        "training_seconds": round(seconds, 2),
        "status": ModelStatus.READY,
        "detail": "",
        "training_size": examples,
        "labels": [],
        "metrics": {},
        "payload": b"",
        "digest": "",
    }
    if fitted is not None:
        payload = classifier.dumps(fitted.pipeline)
        fields |= {
            "training_size": fitted.size,
            "labels": fitted.labels,
            "metrics": fitted.metrics,
            "payload": payload,
            "digest": _sign(payload),
        }
    else:
        refusal = refusal or classifier.NotEnoughHistory(ModelStatus.TOO_FEW_CASES)
        fields |= {"status": ModelStatus(refusal.code), "detail": refusal.detail[:200]}
    row, _created = SuggestionModel.objects.update_or_create(
        organisation=organisation, target=target, defaults=fields
    )
    return row


def suggestions_train(
    *, organisation: Organisation, targets=TARGETS, policy: classifier.Policy | None = None
) -> list[SuggestionModel]:
    """Train the organisation's suggestion models from its handled cases and store them.

    A target without enough history stores why, and no model: its suggestions stop. The
    fitting runs outside any transaction (it takes seconds to minutes); each row is written
    in its own.
    """
    policy = policy or configured_policy()
    rows = []
    for target in targets:
        texts, labels = training_examples(organisation=organisation, target=target)
        started = time.perf_counter()
        fitted = refusal = None
        try:
            fitted = classifier.fit(texts, labels, policy)
        except classifier.NotEnoughHistory as exc:
            refusal = exc
        row = suggestion_model_store(
            organisation=organisation,
            target=target,
            fitted=fitted,
            refusal=refusal,
            examples=len(texts),
            seconds=time.perf_counter() - started,
        )
        logger.info("suggestions %s/%s: %s", organisation.slug, target, row.status)
        rows.append(row)
    return rows


def _pipeline(row: SuggestionModel):
    """Return the row's fitted pipeline, from this process's cache or checked and unpickled."""
    cached = _loaded.get(row.pk)
    if cached is not None and cached[0] == row.digest:
        _loaded.move_to_end(row.pk)
        return cached[1]
    if row.library_version != sklearn.__version__:
        return None
    payload = bytes(
        SuggestionModel.objects.filter(pk=row.pk).values_list("payload", flat=True).get()
    )
    if not payload or not constant_time_compare(_sign(payload), row.digest):
        logger.warning("suggestion model %s: signature mismatch, not loaded", row.pk)
        return None
    pipeline = classifier.loads(payload)
    _loaded[row.pk] = (row.digest, pipeline)
    while len(_loaded) > _CACHE_SIZE:
        _loaded.popitem(last=False)
    return pipeline


def _choices(case: Case, user, target: str, labels: list[str]) -> dict[str, object]:
    """Return the choices the user may make for *target* among *labels*, by label."""
    if target == SuggestionTarget.CATEGORY:
        qs = Category.objects.filter(organisation_id=case.organisation_id, is_active=True)
    else:
        qs = units_for(user, Capability.HANDLE_CASES).filter(organisation_id=case.organisation_id)
    return {str(obj.pk): obj for obj in qs.filter(pk__in=[int(x) for x in labels])}


def case_suggestions(*, case: Case, user) -> dict[str, list[Suggestion]]:
    """Return up to three suggested categories and units for a case being verified.

    Only for a user who handles the case, only while it is received or verified, only from a
    ready model, only choices the user can make, and none below the confidence floor. An
    empty dict when there is nothing worth showing.
    """
    if case.status not in AT_VERIFICATION or not user_can(user, Capability.HANDLE_CASES, case.unit):
        return {}
    rows = SuggestionModel.objects.filter(
        organisation_id=case.organisation_id, status=ModelStatus.READY
    ).defer("payload")
    floor = settings.SUGGESTION_CONFIDENCE_FLOOR
    out = {}
    for row in rows:
        pipeline = _pipeline(row)
        choices = _choices(case, user, row.target, row.labels) if pipeline is not None else {}
        if not choices:
            continue
        top = classifier.predict_top(
            pipeline, [case.search_text[:TEXT_LIMIT]], k=SHOWN, allowed=choices.keys()
        )[0]
        shown = [p for p in top if p.confidence >= floor]
        if shown:
            out[row.target] = [
                Suggestion(rank, choices[p.label], p.confidence)
                for rank, p in enumerate(shown, start=1)
            ]
    return out


def suggested_rank(*, case: Case, user, target: str, choice) -> int | None:
    """Return the rank of *choice* among the suggestions the case page shows now.

    1 to 3 when the officer chose a suggestion, 0 when suggestions were shown and they chose
    otherwise, None when nothing was shown. Call it before the decision changes the case.
    """
    shown = case_suggestions(case=case, user=user).get(target)
    if not shown:
        return None
    pk = getattr(choice, "pk", choice)
    return next((s.rank for s in shown if s.choice.pk == pk), 0)


def picked_suggestions(query, suggestions: dict[str, list[Suggestion]]) -> dict[str, int]:
    """Return the suggestion the officer clicked, per target, as the pk to fill in its form.

    A parameter that names no suggestion on show is ignored.
    """
    picked = {}
    for target, parameter in PICK_PARAMETERS.items():
        raw = query.get(parameter, "")
        for s in suggestions.get(target, []):
            if str(s.choice.pk) == raw:
                picked[str(target)] = s.choice.pk
    return picked
