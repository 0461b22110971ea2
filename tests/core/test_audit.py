"""The audit journal is append-only, records reads of others' data, and is visible to the
person concerned and searchable by the DPO."""

import pytest
from django.db import DatabaseError, connection, transaction

from cartable.core import audit
from cartable.core.models import AppendOnlyError, AuditEntry
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


def an_entry() -> AuditEntry:
    return audit.record("test.write", actor=None, object_ref="x")


def test_a_journal_entry_cannot_be_changed_through_the_model() -> None:
    entry = an_entry()
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_itself_refuses_to_change_or_delete_a_journal_entry() -> None:
    entry = an_entry()
    table = AuditEntry._meta.db_table
    for statement in (
        f"UPDATE {table} SET action = 'tampered' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.write"


def test_viewing_someone_elses_file_is_journaled_with_who_and_from_where(client_as) -> None:  # type: ignore[no-untyped-def]
    subject = ContractFactory().person
    client = client_as("scolarite")
    client.get(f"/referentiel/personnes/{subject.uuid}/", REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="referential.person.view", subject_uuid=subject.uuid)
    assert entry.actor_label == "scolarite-persona"
    assert entry.ip_address == "10.1.2.3"
    assert entry.kind == AuditEntry.Kind.READ


def test_a_person_sees_who_looked_at_their_data(client_as, persona) -> None:  # type: ignore[no-untyped-def]
    student = persona("student")
    client_as("scolarite").get(f"/referentiel/personnes/{student.person.uuid}/")
    from django.test import Client

    from tests.personas import login

    page = login(Client(), student).get("/mes-donnees/").content.decode()
    assert "scolarite-persona" in page


def test_reading_ones_own_data_is_not_reported_as_someone_elses_access(persona) -> None:  # type: ignore[no-untyped-def]
    student = persona("student")
    audit.record_reads("x.view", actor=student.user, subjects=[student.person.uuid])
    assert not audit.accesses_to(student.person.uuid).exists()


def test_the_dpo_searches_the_journal_by_actor(client_as) -> None:  # type: ignore[no-untyped-def]
    audit.record("referential.import", actor=None, object_ref="persons.csv")
    audit.record("access.rule.create", actor=None, object_ref="rule")
    page = client_as("dpo").get("/journal/", {"action": "import"}).content.decode()
    assert "referential.import" in page
    assert "access.rule.create" not in page


def test_the_dpo_exports_the_journal_as_csv(client_as) -> None:  # type: ignore[no-untyped-def]
    audit.record("referential.import", actor=None, object_ref="persons.csv")
    response = client_as("dpo").get("/journal/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "referential.import" in response.content.decode("utf-8-sig")
