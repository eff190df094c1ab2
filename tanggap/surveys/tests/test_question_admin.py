"""The admin of units' own questions, scoped like the periods, and the read-only responses."""

import pytest
from django.contrib.auth.models import Permission

from tanggap.accounts.roles import Role
from tanggap.accounts.tests.factories import MembershipFactory, UserFactory
from tanggap.surveys.models import SurveyQuestion, SurveyResponse
from tanggap.surveys.services import ResponseInput, response_record
from tanggap.surveys.tests.factories import (
    ALL_FOUR,
    SurveyPeriodFactory,
    SurveyQuestionFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db
QUESTIONS = "/admin/surveys/surveyquestion/"


def admin_of(unit, username):
    """Return a staff user administering *unit*, with the model permissions of this app."""
    user = UserFactory(username=username, is_staff=True)
    MembershipFactory(user=user, unit=unit, role=Role.UNIT_ADMIN)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="surveys"))
    return user


def test_a_unit_admin_adds_a_question_for_a_period_of_the_unit(client, spkt, dpmptsp):
    # given a period of the unit and one of another organisation's unit
    own = SurveyPeriodFactory(unit=spkt)
    foreign = SurveyPeriodFactory(unit=dpmptsp)
    client.force_login(admin_of(spkt, "admin_spkt"))

    # when the administrator opens the add page and saves a scale question
    page = client.get(f"{QUESTIONS}add/")
    saved = client.post(
        f"{QUESTIONS}add/",
        {
            "unit": spkt.pk,
            "period": own.pk,
            "position": 1,
            "is_active": "on",
            "text_id": "Bagaimana kebersihan ruang tunggu?",
            "kind": "scale",
            "label_1_id": "Kotor",
            "label_2_id": "Kurang bersih",
            "label_3_id": "Bersih",
            "label_4_id": "Sangat bersih",
        },
    )

    # then only the unit's periods are offered, and the question is stored
    periods = page.context["adminform"].form.fields["period"].queryset
    assert list(periods) == [own] and foreign not in periods
    assert saved.status_code == 302
    assert SurveyQuestion.objects.get().period == own


def test_a_scale_question_without_its_labels_is_refused(client, spkt):
    client.force_login(admin_of(spkt, "admin_spkt"))

    response = client.post(
        f"{QUESTIONS}add/",
        {"unit": spkt.pk, "position": 1, "text_id": "Puas?", "kind": "scale"},
    )

    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert not SurveyQuestion.objects.exists()


def test_another_units_admin_does_not_see_the_questions(client, spkt, dpmptsp):
    question = SurveyQuestionFactory(unit=spkt)
    client.force_login(admin_of(dpmptsp, "admin_dpmptsp"))

    listing = client.get(QUESTIONS)
    detail = client.get(f"{QUESTIONS}{question.pk}/change/")

    assert list(listing.context["cl"].queryset) == []
    assert detail.status_code in (302, 404)


def test_an_answered_question_keeps_its_type_and_cannot_be_deleted(client, spkt):
    # given a question answered once
    period = SurveyPeriodFactory(unit=spkt)
    question = SurveyQuestionFactory(unit=spkt)
    response_record(
        ResponseInput(
            period=period, channel="online", answers=ALL_FOUR, extra_answers={str(question.pk): 3}
        )
    )
    unanswered = SurveyQuestionFactory(unit=spkt)
    client.force_login(admin_of(spkt, "admin_spkt"))

    # when its administrator opens it and tries to delete it
    change = client.get(f"{QUESTIONS}{question.pk}/change/")
    delete = client.post(f"{QUESTIONS}{question.pk}/delete/", {"post": "yes"})
    delete_unanswered = client.post(f"{QUESTIONS}{unanswered.pk}/delete/", {"post": "yes"})

    # then the answer type is read-only and only the unanswered question goes
    assert "kind" not in change.context["adminform"].form.fields
    assert delete.status_code == 403 and SurveyQuestion.objects.filter(pk=question.pk).exists()
    assert delete_unanswered.status_code == 302
    assert not SurveyQuestion.objects.filter(pk=unanswered.pk).exists()


def test_a_flag_is_reviewed_on_the_staff_screen_not_in_the_admin(client, spkt):
    flagged = SurveyResponseFactory(period=SurveyPeriodFactory(unit=spkt), flagged=True)
    client.force_login(admin_of(spkt, "admin_spkt"))

    page = client.get(f"/admin/surveys/surveyresponse/{flagged.pk}/change/")
    client.post(
        f"/admin/surveys/surveyresponse/{flagged.pk}/change/",
        {"is_flagged": "", "review_status": "kept"},
    )

    assert page.status_code == 200 and not page.context["adminform"].form.fields
    flagged = SurveyResponse.objects.get(pk=flagged.pk)
    assert flagged.is_flagged and flagged.review_status == "pending"
