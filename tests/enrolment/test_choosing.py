"""Choosing UEs in a campaign: every refusal names its cause, in French and in English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cartable.core.errors import DomainError
from cartable.enrolment import actions
from cartable.enrolment.models import Enrolment, Seats
from cartable.enrolment.rules import Cause
from tests.catalogue.factories import UEPrerequisiteFactory

from .campaigns import CampaignFactory, group, rule, student, ue

pytestmark = pytest.mark.django_db


def choose(campaign, person, code):  # type: ignore[no-untyped-def]
    return actions.do_choose_ue(campaign.code, person.uuid, code, acting_user=None)


def causes(outcome) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(r.cause) for r in outcome.refusals]


def test_a_student_adds_a_ue_of_their_programme() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    outcome = choose(campaign, ada, "LO41")
    assert outcome.accepted
    assert Enrolment.objects.get(student=ada).status == Enrolment.Status.ACCEPTED
    assert Seats.objects.get(campaign=campaign).taken == 1


def test_adding_is_journaled() -> None:
    from cartable.core.models import AuditEntry

    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    choose(campaign, ada, "LO41")
    entry = AuditEntry.objects.get(action="enrolment.choose")
    assert entry.subject_uuid == ada.uuid
    assert entry.detail["ue"] == "LO41"


def test_outside_the_choice_period_the_refusal_says_so() -> None:
    campaign = CampaignFactory(
        opens_at=timezone.now() + timedelta(days=1),
        advising_from=timezone.now() + timedelta(days=2),
        closes_at=timezone.now() + timedelta(days=3),
    )
    ue("LO41")
    outcome = choose(campaign, student(), "LO41")
    assert not outcome.accepted
    assert causes(outcome) == ["outside_dates"]
    assert "période de choix" in outcome.refusals[0].message_fr
    assert "choice period" in outcome.refusals[0].message_en


def test_a_missing_prerequisite_is_named() -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21").ue)
    outcome = choose(campaign, student(), "LO41")
    assert causes(outcome) == ["prerequisite"]
    assert outcome.refusals[0].ue_codes == ("LO21",)
    assert "LO21" in outcome.refusals[0].message_fr


def test_a_passed_prerequisite_lets_the_student_in() -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    earlier = ue("LO21", semesters="P")
    UEPrerequisiteFactory(offer=wanted, required_ue=earlier.ue)
    ada = student()
    Enrolment.objects.create(
        student=ada, offer=earlier, source="import", grade="C", grade_published_at=timezone.now()
    )
    assert choose(campaign, ada, "LO41").accepted


def test_a_failed_prerequisite_does_not_count() -> None:
    campaign = CampaignFactory()
    wanted = ue("LO41")
    earlier = ue("LO21", semesters="P")
    UEPrerequisiteFactory(offer=wanted, required_ue=earlier.ue)
    ada = student()
    Enrolment.objects.create(
        student=ada, offer=earlier, source="import", grade="FX", grade_published_at=timezone.now()
    )
    assert causes(choose(campaign, ada, "LO41")) == ["prerequisite"]


def test_a_full_ue_offers_the_wait_list() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    choose(campaign, student(), "LO41")
    outcome = choose(campaign, student(), "LO41")
    assert causes(outcome) == ["full"]
    assert outcome.can_join_waitlist
    assert "liste d'attente" in outcome.refusals[0].message_fr


def test_a_timetable_clash_names_the_other_ue() -> None:
    campaign = CampaignFactory()
    group(ue("LO41"), "CM", "CM1", day=0, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=9, end=11)
    ada = student()
    assert choose(campaign, ada, "MT42").accepted
    outcome = choose(campaign, ada, "LO41")
    assert causes(outcome) == ["timetable"]
    assert outcome.refusals[0].ue_codes == ("MT42",)
    assert "aucun choix de groupes" in outcome.refusals[0].message_fr


def test_another_group_resolves_the_clash() -> None:
    campaign = CampaignFactory()
    lo41 = ue("LO41")
    group(lo41, "TD", "TD1", day=0, start=8, end=10)
    group(lo41, "TD", "TD2", day=1, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    ada = student()
    assert choose(campaign, ada, "MT42").accepted
    assert choose(campaign, ada, "LO41").accepted


def test_labs_on_alternating_weeks_do_not_clash() -> None:
    campaign = CampaignFactory()
    group(ue("LO41"), "TP", "TP1", day=2, start=14, end=18, weeks="10" * 8)
    group(ue("MT42"), "TP", "TP1", day=2, start=14, end=18, weeks="01" * 8)
    ada = student()
    assert choose(campaign, ada, "LO41").accepted
    assert choose(campaign, ada, "MT42").accepted


def test_the_credit_maximum_is_enforced_with_the_figures() -> None:
    campaign = CampaignFactory()
    rule(campaign, high="10")
    ue("LO41")
    ue("MT42")
    ada = student()
    assert choose(campaign, ada, "LO41").accepted
    outcome = choose(campaign, ada, "MT42")
    assert causes(outcome) == ["credits"]
    assert "12 crédits" in outcome.refusals[0].message_fr
    assert "10" in outcome.refusals[0].message_en


def test_a_category_maximum_is_enforced() -> None:
    campaign = CampaignFactory()
    rule(campaign, categories=(("CS", None, "6"),))
    ue("LO41", category="CS")
    ue("MT42", category="CS")
    ue("GE01", category="TM")
    ada = student()
    assert choose(campaign, ada, "LO41").accepted
    assert causes(choose(campaign, ada, "MT42")) == ["category"]
    assert choose(campaign, ada, "GE01").accepted


def test_a_ue_of_another_programme_is_not_offered() -> None:
    campaign = CampaignFactory()
    ue("ME01", programme="MECA")
    assert causes(choose(campaign, student(), "ME01")) == ["not_offered"]


def test_several_causes_are_all_reported() -> None:
    campaign = CampaignFactory()
    rule(campaign, high="6")
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    wanted = ue("LO41")
    group(wanted, "CM", "CM1", day=0, start=8, end=10)
    UEPrerequisiteFactory(offer=wanted, required_ue=ue("LO21", semesters="P").ue)
    ada = student()
    choose(campaign, ada, "MT42")
    assert sorted(causes(choose(campaign, ada, "LO41"))) == [
        "credits",
        "prerequisite",
        "timetable",
    ]


def test_a_student_outside_the_population_is_told_so() -> None:
    campaign = CampaignFactory(population="apprentice")
    ue("LO41")
    with pytest.raises(DomainError) as error:
        choose(campaign, student(), "LO41")
    assert error.value.field == "student"


def test_dropping_frees_the_place() -> None:
    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    ada = student()
    choose(campaign, ada, "LO41")
    actions.do_drop_ue(campaign.code, ada.uuid, "LO41", acting_user=None)
    assert Seats.objects.get(campaign=campaign).taken == 0
    assert Enrolment.objects.get(student=ada).status == Enrolment.Status.DROPPED
    assert choose(campaign, student(), "LO41").accepted


def test_a_dropped_ue_can_be_chosen_again() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    choose(campaign, ada, "LO41")
    actions.do_drop_ue(campaign.code, ada.uuid, "LO41", acting_user=None)
    assert choose(campaign, ada, "LO41").accepted
    assert Enrolment.objects.filter(student=ada).count() == 1


def test_choosing_twice_is_refused_without_a_second_place() -> None:
    campaign = CampaignFactory()
    ue("LO41")
    ada = student()
    choose(campaign, ada, "LO41")
    assert causes(choose(campaign, ada, "LO41")) == ["already_chosen"]
    assert Seats.objects.get(campaign=campaign).taken == 1


def test_a_cause_is_a_known_value() -> None:
    assert {str(c) for c in Cause} >= {"prerequisite", "full", "timetable", "credits"}


def test_a_change_to_a_validated_semester_sends_it_back_to_the_advisor() -> None:
    from cartable.enrolment.models import StudentChoice

    campaign = CampaignFactory()
    ue("LO41")
    ue("MT42")
    ada = student()
    choose(campaign, ada, "LO41")
    StudentChoice.objects.filter(student=ada).update(status=StudentChoice.Status.VALIDATED)
    assert choose(campaign, ada, "MT42").accepted
    assert StudentChoice.objects.get(student=ada).status == StudentChoice.Status.OPEN


def test_a_ue_taken_in_another_semester_of_the_year_is_refused_by_name() -> None:
    campaign = CampaignFactory()
    both = ue("LO41", semesters="AP")
    ada = student()
    Enrolment.objects.create(student=ada, offer=both, source="import", semester="P")
    outcome = choose(campaign, ada, "LO41")
    assert causes(outcome) == ["already_chosen"]
    assert "autre semestre" in outcome.refusals[0].message_fr


def test_a_student_on_the_wait_list_takes_a_place_that_is_free() -> None:
    from cartable.enrolment.models import WaitlistEntry

    campaign = CampaignFactory()
    lo41 = ue("LO41", capacity=1)
    group(lo41, "CM", "CM1", day=0, start=8, end=10)
    group(ue("MT42"), "CM", "CM1", day=0, start=8, end=10)
    first, second = student(), student()
    choose(campaign, first, "LO41")
    actions.do_join_waitlist(campaign.code, second.uuid, "LO41", acting_user=None)
    choose(campaign, second, "MT42")
    # the place frees while the second student cannot take it (clash with MT42): it stays free
    actions.do_drop_ue(campaign.code, first.uuid, "LO41", acting_user=None)
    assert Seats.objects.get(campaign=campaign, offer=lo41).taken == 0
    actions.do_drop_ue(campaign.code, second.uuid, "MT42", acting_user=None)
    assert choose(campaign, second, "LO41").accepted
    assert WaitlistEntry.objects.get(student=second).status == WaitlistEntry.Status.ENROLLED


def test_an_advisor_cannot_override_a_full_ue_for_a_waiting_student() -> None:
    from tests.factories import PersonFactory

    campaign = CampaignFactory()
    ue("LO41", capacity=1)
    first, second = student(), student()
    choose(campaign, first, "LO41")
    actions.do_join_waitlist(campaign.code, second.uuid, "LO41", acting_user=None)
    outcome = actions.do_override(
        campaign.code,
        second.uuid,
        "LO41",
        reason="Besoin impératif",
        advisor_uuid=PersonFactory().uuid,
        acting_user=None,
    )
    assert not outcome.accepted
    assert Seats.objects.get(campaign=campaign).taken == 1
