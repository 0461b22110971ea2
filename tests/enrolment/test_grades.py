"""Results entry of a UE: the grade grid, CSV import and export, publication."""

from __future__ import annotations

import io
import random
import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cartable.catalogue import api as catalogue
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry, Notification
from cartable.enrolment import api, grades
from cartable.enrolment.demo import draw_past_grade
from cartable.enrolment.grades import GradeErrors, GradeRow
from cartable.enrolment.grades_import import do_import_grades
from cartable.enrolment.models import Enrolment
from cartable.referential import api as referential
from cartable.referential.models import Person
from tests.catalogue.factories import (
    OfferFactory,
    OfferProgrammeFactory,
    ProgrammeFactory,
    TeachingAssignmentFactory,
    UEFactory,
)
from tests.enrolment.factories import EnrolmentFactory, student_person
from tests.personas import Persona, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(persona: Any) -> Persona:
    return persona("teacher")


@pytest.fixture
def offer(teacher: Persona) -> Any:
    """An offer the teacher is responsible for."""
    return OfferFactory(ue=UEFactory(code="LO21"), responsible=teacher.person)


def enrol(offer: Any, last: str, number: str, **extra: Any) -> Enrolment:
    student = student_person(
        civil_last_name=last, civil_first_name="Camille", student_number=number
    )
    return EnrolmentFactory(offer=offer, student=student, **extra)


def url(offer: Any, suffix: str = "/") -> str:
    return f"/tableau-ue/{offer.uuid}/notes{suffix}"


def field(enrolment: Enrolment) -> str:
    return f"g-{enrolment.student.uuid}"


def grade_of(enrolment: Enrolment) -> str:
    enrolment.refresh_from_db()
    return enrolment.grade


def published(enrolment: Enrolment, grade: str) -> Enrolment:
    enrolment.grade = grade
    enrolment.grade_published_at = timezone.now() - timedelta(days=3)
    enrolment.save()
    return enrolment


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


# --- who sees and who enters -----------------------------------------------------------------


def test_the_responsible_sees_the_grid_sorted_by_name_with_student_numbers(
    teacher: Persona, offer: Any
) -> None:
    enrol(offer, "Zola", "24002")
    enrol(offer, "Aubert", "24001")
    page = login(Client(), teacher).get(url(offer)).content.decode()
    assert page.index("AUBERT") < page.index("ZOLA")
    assert "24001" in page
    assert "<select" in page


def test_a_team_member_saves_grades(persona: Any, offer: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    enrolment = enrol(offer, "Aubert", "24001")
    response = login(Client(), member).post(url(offer), {field(enrolment): "B"})
    assert response.status_code == 302
    assert grade_of(enrolment) == "B"


def test_the_scolarite_saves_grades(persona: Any, offer: Any) -> None:
    enrolment = enrol(offer, "Aubert", "24001")
    login(Client(), persona("scolarite")).post(url(offer), {field(enrolment): "C"})
    assert grade_of(enrolment) == "C"


def test_a_programme_head_reads_the_grid_but_may_not_save_import_or_publish(
    persona: Any, offer: Any
) -> None:
    head = persona("programme_head")
    OfferProgrammeFactory(offer=offer, programme=ProgrammeFactory(head=head.person))
    enrolment = enrol(offer, "Aubert", "24001", grade="A")
    client = login(Client(), head)
    page = client.get(url(offer))
    assert page.status_code == 200
    assert "<select" not in page.content.decode()
    assert client.post(url(offer), {field(enrolment): "F"}).status_code == 403
    assert client.post(url(offer, "/import/"), {}).status_code == 403
    assert client.post(url(offer, "/publier/")).status_code == 403
    assert grade_of(enrolment) == "A"


@pytest.mark.parametrize("who", ["teacher", "ue_coordinator", "student", "direction"])
def test_for_anyone_outside_the_offer_its_results_do_not_exist(persona: Any, who: str) -> None:
    offer = OfferFactory()
    enrolment = enrol(offer, "Aubert", "24001")
    client = login(Client(), persona(who))
    assert client.get(url(offer)).status_code == 404
    assert client.get(url(offer, ".csv")).status_code == 404
    assert client.post(url(offer), {field(enrolment): "A"}).status_code == 404
    assert client.post(url(offer, "/publier/")).status_code == 404
    assert grade_of(enrolment) == ""


# --- the grid --------------------------------------------------------------------------------


def test_the_grid_lists_only_accepted_enrolments(teacher: Persona, offer: Any) -> None:
    enrol(offer, "Dropped", "24009", status=Enrolment.Status.DROPPED)
    enrol(offer, "Aubert", "24001")
    page = login(Client(), teacher).get(url(offer)).content.decode()
    assert "AUBERT" in page
    assert "DROPPED" not in page


def test_the_text_mode_accepts_lower_case_letters(teacher: Persona, offer: Any) -> None:
    first, second = enrol(offer, "Aubert", "24001"), enrol(offer, "Bernard", "24002")
    client = login(Client(), teacher)
    assert 'type="text"' in client.get(url(offer), {"saisie": "texte"}).content.decode()
    client.post(url(offer, "/?saisie=texte"), {field(first): "fx", field(second): " abs "})
    assert (grade_of(first), grade_of(second)) == ("FX", "ABS")


def test_saving_rewrites_only_the_rows_that_changed(teacher: Persona, offer: Any) -> None:
    kept = enrol(offer, "Aubert", "24001", grade="A")
    changed = enrol(offer, "Bernard", "24002")
    before = Enrolment.objects.get(pk=kept.pk).updated_at
    login(Client(), teacher).post(url(offer), {field(kept): "A", field(changed): "D"})
    assert Enrolment.objects.get(pk=kept.pk).updated_at == before
    assert grade_of(changed) == "D"
    assert AuditEntry.objects.filter(action=grades.ENTER).count() == 1


def test_every_change_is_journaled_with_the_grade_before_and_after(
    teacher: Persona, offer: Any
) -> None:
    enrolment = enrol(offer, "Aubert", "24001", grade="FX")
    login(Client(), teacher).post(url(offer), {field(enrolment): "E"})
    entry = AuditEntry.objects.get(action="enrolment.grades.enter")
    assert entry.subject_uuid == enrolment.student.uuid
    assert entry.object_ref == str(offer.uuid)
    assert (entry.detail["before"], entry.detail["after"]) == ("FX", "E")
    assert entry.actor_label == teacher.user.username


def test_an_invalid_grade_is_reported_on_its_row_and_nothing_is_saved(
    teacher: Persona, offer: Any
) -> None:
    good, bad = enrol(offer, "Aubert", "24001"), enrol(offer, "Bernard", "24002")
    response = login(Client(), teacher).post(
        url(offer, "/?saisie=texte"), {field(good): "A", field(bad): "G"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Camille BERNARD : « G » n&#x27;est pas un résultat" in page
    assert 'aria-invalid="true"' in page
    assert (grade_of(good), grade_of(bad)) == ("", "")
    assert not AuditEntry.objects.filter(action=grades.ENTER).exists()


def test_an_invalid_grade_is_named_in_english_too(teacher: Persona, offer: Any) -> None:
    bad = enrol(offer, "Bernard", "24002")
    with pytest.raises(GradeErrors) as refused:
        grades.do_enter_grades(offer.uuid, {bad.student.uuid: "Z"}, acting_user=teacher.user)
    assert refused.value.problems[0].message_en == (
        "Camille BERNARD: 'Z' is not a grade (A, B, C, D, E, FX, F, ABS, or empty)."
    )


def test_a_grade_changed_meanwhile_by_someone_else_is_not_overwritten(
    teacher: Persona, offer: Any
) -> None:
    enrolment = enrol(offer, "Aubert", "24001")
    client = login(Client(), teacher)
    Enrolment.objects.filter(pk=enrolment.pk).update(grade="B")  # a colleague saved meanwhile
    seen = f"was-{enrolment.student.uuid}"
    response = client.post(url(offer), {field(enrolment): "C", seen: ""})
    assert response.status_code == 400
    assert "modifié entre-temps" in response.content.decode()
    assert grade_of(enrolment) == "B"


def test_the_grid_shows_the_count_of_each_grade_and_the_pass_rate(
    teacher: Persona, offer: Any
) -> None:
    for number, grade in enumerate(["A", "A", "C", "FX", "ABS", ""]):
        enrol(offer, f"Nom{number}", f"2400{number}", grade=grade)
    page = login(Client(), teacher).get(url(offer)).content.decode()
    assert "taux de réussite : 60,0 %" in page
    assert "<td>2</td>" in page


def row(grade: str, published: bool = False) -> GradeRow:
    return GradeRow(
        uuid.uuid4(), "N", "P", "", "", "", grade, timezone.now() if published else None
    )


def test_the_summary_counts_grades_and_leaves_ungraded_students_out_of_the_rate() -> None:
    summary = grades.summarise([row("A", True), row("B"), row("F"), row("ABS"), row(""), row("")])
    assert dict(summary.counts)["A"] == 1
    assert (summary.graded, summary.ungraded, summary.passed) == (4, 2, 2)
    assert summary.pass_rate == Decimal("50.0")
    assert summary.unpublished == 3
    assert grades.summarise([]).pass_rate is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("a", "A"), (" Fx ", "FX"), ("abs", "ABS"), ("", ""), ("-", ""), ("—", ""), ("G", None)],
)
def test_a_typed_grade_is_read_case_and_space_insensitively(typed: str, meant: str | None) -> None:
    assert grades.parse_grade(typed) == meant


def test_the_grid_costs_the_same_queries_for_2_or_20_students(teacher: Persona, offer: Any) -> None:
    client = login(Client(), teacher)
    for number in range(2):
        enrol(offer, f"Nom{number}", f"2400{number}", grade="B")
    client.get(url(offer))
    with CaptureQueriesContext(connection) as few:
        client.get(url(offer))
    for number in range(2, 20):
        enrol(offer, f"Nom{number}", f"240{number:02d}", grade="C")
    with CaptureQueriesContext(connection) as many:
        client.get(url(offer))
    assert len(many) == len(few)


# --- CSV import ------------------------------------------------------------------------------


def test_a_dry_run_reports_each_bad_row_and_writes_nothing(teacher: Persona, offer: Any) -> None:
    aubert = enrol(offer, "Aubert", "24001")
    enrol(offer, "Bernard", "24002")
    student_person(student_number="24777")  # exists, not enrolled in this UE
    report = do_import_grades(
        offer.uuid,
        csv_file(
            "numero_etudiant;resultat",
            "24001;A",
            "99999;B",
            "24777;C",
            "24002;Q",
            "24001;A",
        ),
        dry_run=True,
        acting_user=teacher.user,
    )
    found = [(e.line, e.field, e.value) for e in report.errors]
    assert found == [
        (3, "numero_etudiant", "99999"),
        (4, "numero_etudiant", "C"),
        (5, "resultat", "Q"),
        (6, "numero_etudiant", "24001"),
    ]
    reasons = [e.message_en for e in report.errors]
    assert reasons[0] == "unknown student: '99999'"
    assert reasons[1] == "24777 is not enrolled in this UE."
    assert "is not a grade" in reasons[2]
    assert reasons[3] == "duplicate row: this student is already on line 2"
    assert "n'est pas inscrit·e dans cette UE" in report.errors[1].message_fr
    assert not report.committed
    assert grade_of(aubert) == ""


def test_a_real_run_with_one_bad_row_writes_nothing(teacher: Persona, offer: Any) -> None:
    aubert = enrol(offer, "Aubert", "24001")
    report = do_import_grades(
        offer.uuid,
        csv_file("numero_etudiant;resultat", "24001;A", "24002;B"),
        dry_run=False,
        acting_user=teacher.user,
    )
    assert not report.committed
    assert [e.line for e in report.errors] == [3]
    assert grade_of(aubert) == ""
    assert not AuditEntry.objects.filter(action=grades.IMPORT).exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    teacher: Persona, offer: Any
) -> None:
    aubert = enrol(offer, "Aubert", "24001")
    bernard = enrol(offer, "Bernard", "24002")
    content = csv_file(
        "login,courriel,resultat",
        f"{aubert.student.login},,b",
        f",{bernard.student.institutional_email.upper()},F",
    )
    first = do_import_grades(offer.uuid, content, dry_run=False, acting_user=teacher.user)
    second = do_import_grades(offer.uuid, content, dry_run=False, acting_user=teacher.user)
    assert (first.committed, first.changed) == (True, 2)
    assert (second.committed, second.changed, second.unchanged) == (True, 0, 2)
    assert (grade_of(aubert), grade_of(bernard)) == ("B", "F")
    assert AuditEntry.objects.filter(action="enrolment.grades.import").count() == 2


def test_an_empty_grade_cell_leaves_the_grade_as_it_is(teacher: Persona, offer: Any) -> None:
    aubert = enrol(offer, "Aubert", "24001", grade="C")
    report = do_import_grades(
        offer.uuid,
        csv_file("numero_etudiant;resultat", "24001;"),
        dry_run=False,
        acting_user=teacher.user,
    )
    assert (report.skipped, report.changed) == (1, 0)
    assert grade_of(aubert) == "C"


def test_a_file_without_a_grade_column_is_refused(teacher: Persona, offer: Any) -> None:
    report = do_import_grades(
        offer.uuid, csv_file("numero_etudiant;note_finale"), dry_run=True, acting_user=teacher.user
    )
    assert {e.field for e in report.errors} == {"note_finale", "resultat"}


def test_the_exported_grid_imports_back_without_any_change(teacher: Persona, offer: Any) -> None:
    enrol(offer, "Aubert", "24001", grade="A")
    enrol(offer, "Bernard", "24002")
    client = login(Client(), teacher)
    exported = client.get(url(offer, ".csv")).content
    header = exported.decode("utf-8-sig").splitlines()[0]
    assert header == "nom;prenom;numero_etudiant;courriel;resultat;publie"
    report = do_import_grades(offer.uuid, exported, dry_run=False, acting_user=teacher.user)
    assert (report.ok, report.changed, report.unchanged, report.skipped) == (True, 0, 1, 1)


def test_the_grid_exports_to_excel_and_the_export_is_journaled(
    teacher: Persona, offer: Any
) -> None:
    enrol(offer, "Aubert", "24001", grade="E")
    response = login(Client(), teacher).get(url(offer, ".xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:5] == ("Aubert", "Camille", "24001", rows[1][3], "E")
    assert AuditEntry.objects.filter(
        action="enrolment.grades.export", kind=AuditEntry.Kind.EXPORT
    ).exists()


def test_on_the_page_a_dry_run_is_confirmed_then_imported(teacher: Persona, offer: Any) -> None:
    aubert = enrol(offer, "Aubert", "24001")
    client = login(Client(), teacher)
    upload = io.BytesIO(csv_file("numero_etudiant;resultat", "24001;D"))
    upload.name = "notes.csv"
    checked = client.post(url(offer, "/import/"), {"file": upload, "dry_run": "on"})
    assert checked.status_code == 200
    assert grade_of(aubert) == ""
    token = checked.context["token"]
    assert token
    done = client.post(url(offer, "/import/"), {"token": token})
    assert done.status_code == 302
    assert grade_of(aubert) == "D"


def test_on_the_page_a_bad_file_shows_its_errors(teacher: Persona, offer: Any) -> None:
    enrol(offer, "Aubert", "24001")
    upload = io.BytesIO(csv_file("numero_etudiant;resultat", "55555;A"))
    upload.name = "notes.csv"
    response = login(Client(), teacher).post(url(offer, "/import/"), {"file": upload})
    assert response.status_code == 400
    assert "étudiant·e inconnu·e : « 55555 »" in response.content.decode()


# --- publication -----------------------------------------------------------------------------


def test_publishing_dates_the_graded_rows_and_notifies_each_student(
    teacher: Persona, offer: Any
) -> None:
    graded = enrol(offer, "Aubert", "24001", grade="B")
    ungraded = enrol(offer, "Bernard", "24002")
    response = login(Client(), teacher).post(url(offer, "/publier/"))
    assert response.status_code == 302
    graded.refresh_from_db()
    ungraded.refresh_from_db()
    assert graded.grade_published_at is not None
    assert ungraded.grade_published_at is None
    notice = Notification.objects.get()
    assert notice.person_uuid == graded.student.uuid
    assert (notice.title, notice.title_en) == ("Résultat publié : LO21", "Grade published: LO21")
    assert AuditEntry.objects.filter(action=grades.PUBLISH).count() == 1


def test_the_student_sees_a_grade_only_once_published(teacher: Persona, offer: Any) -> None:
    enrolment = enrol(offer, "Aubert", "24001", grade="A")
    student = enrolment.student.uuid
    assert api.results_of(student)[0].grade == ""
    grades.do_publish_grades(offer.uuid, acting_user=teacher.user)
    assert api.results_of(student)[0].grade == "A"


def test_a_team_member_may_not_publish(persona: Any, offer: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    enrolment = enrol(offer, "Aubert", "24001", grade="A")
    assert login(Client(), member).post(url(offer, "/publier/")).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.grade_published_at is None


def test_publishing_with_nothing_new_to_publish_says_so(teacher: Persona, offer: Any) -> None:
    published(enrol(offer, "Aubert", "24001"), "A")
    with pytest.raises(DomainError) as refused:
        grades.do_publish_grades(offer.uuid, acting_user=teacher.user)
    assert refused.value.message_en.startswith("No grade to publish")


# --- changing a published grade --------------------------------------------------------------


def test_a_team_member_may_not_change_a_published_grade(persona: Any, offer: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    enrolment = published(enrol(offer, "Aubert", "24001"), "F")
    other = enrol(offer, "Bernard", "24002")
    response = login(Client(), member).post(url(offer), {field(enrolment): "E", field(other): "A"})
    assert response.status_code == 400
    assert "ce résultat est publié" in response.content.decode()
    assert (grade_of(enrolment), grade_of(other)) == ("F", "")


def test_a_team_member_sees_published_grades_without_a_field(persona: Any, offer: Any) -> None:
    member = persona("ue_coordinator")
    TeachingAssignmentFactory(offer=offer, person=member.person)
    enrolment = published(enrol(offer, "Aubert", "24001"), "F")
    page = login(Client(), member).get(url(offer)).content.decode()
    assert field(enrolment) not in page


def test_the_responsible_changes_a_published_grade_only_with_a_reason(
    teacher: Persona, offer: Any
) -> None:
    enrolment = published(enrol(offer, "Aubert", "24001"), "F")
    client = login(Client(), teacher)
    refused = client.post(url(offer), {field(enrolment): "E"})
    assert refused.status_code == 400
    assert grade_of(enrolment) == "F"
    client.post(url(offer), {field(enrolment): "E", "motif": "Erreur de report de la copie"})
    assert grade_of(enrolment) == "E"
    entry = AuditEntry.objects.get(action=grades.ENTER)
    assert entry.detail["reason"] == "Erreur de report de la copie"
    assert entry.detail["published"] is True
    notice = Notification.objects.get(person_uuid=enrolment.student.uuid)
    assert notice.title_en == "Grade changed: LO21"


def test_the_scolarite_changes_a_published_grade_without_a_reason(persona: Any, offer: Any) -> None:
    enrolment = published(enrol(offer, "Aubert", "24001"), "FX")
    login(Client(), persona("scolarite")).post(url(offer), {field(enrolment): "E"})
    enrolment.refresh_from_db()
    assert enrolment.grade == "E"
    assert enrolment.grade_published_at is not None


def test_clearing_a_published_grade_unpublishes_it(teacher: Persona, offer: Any) -> None:
    enrolment = published(enrol(offer, "Aubert", "24001"), "ABS")
    grades.do_enter_grades(
        offer.uuid, {enrolment.student.uuid: ""}, reason="Saisie à tort", acting_user=teacher.user
    )
    enrolment.refresh_from_db()
    assert (enrolment.grade, enrolment.grade_published_at) == ("", None)


def test_an_import_may_not_change_a_published_grade_without_a_reason(
    teacher: Persona, offer: Any
) -> None:
    enrolment = published(enrol(offer, "Aubert", "24001"), "F")
    content = csv_file("numero_etudiant;resultat", "24001;E")
    refused = do_import_grades(offer.uuid, content, dry_run=False, acting_user=teacher.user)
    assert [e.field for e in refused.errors] == ["reason"]
    assert grade_of(enrolment) == "F"
    done = do_import_grades(
        offer.uuid, content, dry_run=False, reason="Jury de rattrapage", acting_user=teacher.user
    )
    assert done.committed
    assert grade_of(enrolment) == "E"


# --- past results of the demo campus ---------------------------------------------------------


def build_demo() -> list[tuple[str, str, str, str]]:
    """Build the tiny demo campus; its past results as (student, UE, semester, grade)."""
    call_command("build_demo_campus", seed=2026, scale=0.02, stdout=io.StringIO())
    past = Enrolment.objects.filter(offer__year=catalogue.current_year() - 1)
    return sorted(past.values_list("student__login", "offer__ue__code", "semester", "grade"))


def test_the_demo_gives_past_published_results_to_students_beyond_their_first_year() -> None:
    past = build_demo()
    assert len(past) > 50
    rows = Enrolment.objects.filter(offer__year=catalogue.current_year() - 1)
    assert not rows.filter(grade_published_at__isnull=True).exists()
    assert not rows.filter(grade="").exists()
    students = {s.uuid for s in Person.objects.filter(enrolments__in=rows)}
    levels = {
        c.study_level
        for facts in referential.facts_for(students).values()
        for c in facts.contracts
        if c.kind == "registration" and c.start_date.year == catalogue.current_year()
    }
    assert levels
    assert all(int(level[-1]) > 1 for level in levels)


def test_the_demo_past_results_never_repeat_a_ue_taken_this_year() -> None:
    build_demo()
    current = Enrolment.objects.filter(offer__year=catalogue.current_year())
    now = set(current.values_list("student_id", "offer__ue__code"))
    before = Enrolment.objects.filter(offer__year=catalogue.current_year() - 1)
    assert now.isdisjoint(set(before.values_list("student_id", "offer__ue__code")))


def test_past_grades_are_mostly_passes_with_some_failures_and_few_absences() -> None:
    rng = random.Random(7)
    drawn = Counter(draw_past_grade(rng, rng.gauss(0, 1)) for _ in range(5000))
    share = {grade: count / 5000 for grade, count in drawn.items()}
    assert 0.78 < sum(share[g] for g in ("A", "B", "C", "D", "E")) < 0.88
    assert 0.04 < share["FX"] < 0.09
    assert 0.05 < share["F"] < 0.11
    assert 0.015 < share["ABS"] < 0.05


def test_the_demo_past_results_mix_passes_and_failures() -> None:
    drawn = Counter(grade for *_rest, grade in build_demo())
    assert drawn["A"] + drawn["B"] + drawn["C"] > drawn["FX"] + drawn["F"] > 0


def test_the_demo_past_results_are_the_same_for_the_same_seed() -> None:
    def fresh() -> list[tuple[str, str, str, str]]:
        savepoint = transaction.savepoint()
        try:
            return build_demo()
        finally:
            transaction.savepoint_rollback(savepoint)

    assert fresh() == fresh()
