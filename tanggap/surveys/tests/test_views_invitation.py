"""The invitation link: the phone questionnaire once, then a clear refusal; nothing is linked."""

import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tanggap.common.exceptions import ApplicationError
from tanggap.surveys.choices import QuestionKind
from tanggap.surveys.elements import ELEMENT_KEYS
from tanggap.surveys.invitations import invitation_respond
from tanggap.surveys.models import (
    SurveyInvitation,
    SurveyPeriod,
    SurveyQuestion,
    SurveyResponse,
)
from tanggap.surveys.selectors import period_summary
from tanggap.surveys.tests.factories import ALL_FOUR, SurveyPeriodFactory
from tanggap.surveys.tests.invited import invited

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(spkt):
    return SurveyPeriodFactory(unit=spkt)


def form_answers(**overrides):
    data = dict.fromkeys(ELEMENT_KEYS, "3") | {"client_key": str(uuid.uuid4())}
    return data | overrides


def link(token):
    return reverse("surveys:invitation", args=[token])


def test_the_link_takes_one_response_then_says_it_was_used(client, spkt, officer, period):
    # given an invitation after a resolved case
    invitation, token = invited(spkt, officer)

    # when the reporter opens the link and sends the answers
    page = client.get(link(token))
    sent = client.post(link(token), form_answers(waktu="2", comment="Cepat ditangani"))
    thanks = client.get(sent["Location"])

    # then the questionnaire is the unit's, the answers are stored, the invitation is used
    assert page.status_code == 200 and spkt.name in page.content.decode()
    assert "Pertanyaan 1 dari 9" in page.content.decode()
    assert sent.status_code == 302 and sent["Location"].endswith("?terima-kasih=1")
    assert thanks.status_code == 200 and "Terima kasih!" in thanks.content.decode()
    response = SurveyResponse.objects.get()
    assert (response.period, response.channel) == (period, "invitation")
    assert response.answers["waktu"] == 2 and response.comment == "Cepat ditangani"
    invitation.refresh_from_db()
    assert invitation.used_at is not None

    # and a second visit or a second submit is refused with a clear page, storing nothing
    again = client.get(link(token))
    resent = client.post(link(token), form_answers())
    assert again.status_code == 410 and resent.status_code == 410
    with translation.override("id"):
        assert gettext("This invitation has already been used.") in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_the_response_carries_nothing_that_leads_to_the_reporter(client, spkt, officer, period):
    # given an answered invitation
    invitation, token = invited(spkt, officer)
    client.post(link(token), form_answers())

    # then the response holds no source digest, no ticket code, no person, and the invitation
    # keeps only the day it was used (midnight), not a time to match with the response
    response = SurveyResponse.objects.get()
    assert (response.source_digest, response.ticket_code, response.entered_by) == ("", "", None)
    invitation.refresh_from_db()
    used = timezone.localtime(invitation.used_at)
    assert (used.hour, used.minute, used.second, used.microsecond) == (0, 0, 0, 0)
    assert {f.name for f in SurveyInvitation._meta.fields}.isdisjoint({"response", "updated_at"})


def test_the_response_counts_in_the_periods_index_as_an_invitation(client, spkt, officer, period):
    # given an invitation answered with 3 everywhere
    _invitation, token = invited(spkt, officer)

    client.post(link(token), form_answers())

    # then the period's IKM counts it: 25 * 3 = 75, one respondent, channel invitation
    summary = period_summary(period)
    assert summary.result.value == pytest.approx(75)
    assert summary.result.respondents == 1 and summary.flagged == 0
    assert list(period.responses.values_list("channel", flat=True)) == ["invitation"]


def test_a_service_invitation_records_the_service(client, spkt, officer, period):
    skck = spkt.services.get()
    _invitation, token = invited(spkt, officer, service=skck)

    page = client.get(link(token))
    client.post(link(token), form_answers())

    # the service is known from the case: the form does not ask for it
    assert "service" not in page.context["form"].fields
    assert SurveyResponse.objects.get().service == skck


@pytest.mark.parametrize("token", ["tidak-ada", "x" * 80])
def test_an_unknown_token_is_not_found(client, spkt, officer, period, token):
    invited(spkt, officer)

    page = client.get(link(token))
    sent = client.post(link(token), form_answers())

    assert page.status_code == 404 and sent.status_code == 404
    assert "not valid" in page.content.decode() or "tidak" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_expired_invitation_is_gone(client, spkt, officer):
    # given a period open for the next 60 days and an invitation sent today
    today = timezone.localdate()
    SurveyPeriodFactory(unit=spkt, ends_on=today + timedelta(days=60))
    invitation, token = invited(spkt, officer)

    # when it is opened 31 days later
    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        page = client.get(link(token))
        sent = client.post(link(token), form_answers())

    # then it has expired and nothing is stored
    assert page.status_code == 410 and sent.status_code == 410
    with translation.override("id"):
        assert gettext("This invitation has expired.") in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None and not SurveyResponse.objects.exists()


def test_a_closed_period_takes_no_answer(client, spkt, officer, period):
    invitation, token = invited(spkt, officer)
    # The unit closes the period early (in the admin).
    SurveyPeriod.objects.filter(pk=period.pk).update(is_closed=True)

    page = client.get(link(token))
    sent = client.post(link(token), form_answers())

    assert page.status_code == 410 and sent.status_code == 410
    assert period.name in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is None and not SurveyResponse.objects.exists()


def test_a_missing_answer_is_asked_for_and_the_invitation_stays_unused(
    client, spkt, officer, period
):
    invitation, token = invited(spkt, officer)
    data = form_answers()
    del data["biaya"]

    sent = client.post(link(token), data)

    assert sent.status_code == 400 and "biaya" in sent.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.used_at is None and not SurveyResponse.objects.exists()


def test_a_period_with_ticket_codes_asks_the_invited_for_none(client, spkt, officer):
    # given a period where every response needs a ticket code
    SurveyPeriodFactory(unit=spkt, requires_code=True)
    _invitation, token = invited(spkt, officer)

    # when the invited reporter answers without one
    page = client.get(link(token))
    sent = client.post(link(token), form_answers())

    # then the link stands for the code: no field, the response stored under a random code
    assert "ticket_code" not in page.context["form"].fields
    assert sent.status_code == 302
    assert SurveyResponse.objects.get().ticket_code.startswith("UND-")


def test_the_page_speaks_the_language_of_the_email(client, spkt, officer, period):
    # given an invitation e-mailed in English
    _invitation, token = invited(spkt, officer, language="en")

    # when it is opened on a device without a language choice, and on one set to Indonesian
    english = client.get(link(token)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(link(token)).content.decode()

    # then the first page is English and the visitor's own choice wins
    assert '<html lang="en">' in english and "Question 1 of 9" in english
    assert '<html lang="id">' in indonesian and "Pertanyaan 1 dari 9" in indonesian


def test_a_stale_second_submit_is_refused_under_the_lock(spkt, officer, period):
    # given two submits that both loaded the invitation before either was stored
    invitation, _token = invited(spkt, officer)
    first = SurveyInvitation.objects.get(pk=invitation.pk)
    second = SurveyInvitation.objects.get(pk=invitation.pk)

    # when both are recorded one after the other
    invitation_respond(invitation=first, answers=dict(ALL_FOUR), profile={})
    with pytest.raises(ApplicationError) as refused:
        invitation_respond(invitation=second, answers=dict(ALL_FOUR), profile={})

    # then the second, re-read under its lock, finds the invitation used
    assert refused.value.code == "used"
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="SQLite serialises every writer; row locks between connections are PostgreSQL's",
)
def test_two_submits_at_once_store_one_response(spkt, officer, period):
    invitation, _token = invited(spkt, officer)
    barrier, results = threading.Barrier(2), []

    def submit():
        try:
            barrier.wait()
            invitation_respond(invitation=invitation, answers=dict(ALL_FOUR), profile={})
            results.append("stored")
        except ApplicationError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(results) == ["stored", "used"]
    assert SurveyResponse.objects.count() == 1


def test_the_units_own_questions_are_asked_and_kept(client, spkt, officer, period):
    # given a question of the unit's own, configured in the admin
    question = SurveyQuestion.objects.create(
        unit=spkt, text_id="Apa yang perlu kami perbaiki?", kind=QuestionKind.TEXT
    )
    _invitation, token = invited(spkt, officer)

    # when the invited reporter answers it too
    page = client.get(link(token))
    client.post(link(token), form_answers(**{f"q_{question.pk}": "Ruang tunggu"}))

    # then it is asked after the nine and stored beside them, outside the IKM answers
    assert "Apa yang perlu kami perbaiki?" in page.content.decode()
    response = SurveyResponse.objects.get()
    assert response.extra_answers == {str(question.pk): "Ruang tunggu"}
