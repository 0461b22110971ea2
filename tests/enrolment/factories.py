from __future__ import annotations

import factory
from django.core.files.base import ContentFile

from cartable.enrolment.models import Enrolment
from tests.catalogue.factories import OfferFactory
from tests.factories import ContractFactory, PersonFactory, PopulationFactory


def student_person(**person: object):  # type: ignore[no-untyped-def]
    """A person with a registration in force (programme INFO, level ING2)."""
    contract = ContractFactory(
        population=PopulationFactory(code="student"),
        programme="INFO",
        study_level="ING2",
        person=PersonFactory(**person),
    )
    return contract.person


def give_photo(person) -> None:  # type: ignore[no-untyped-def]
    person.photo.save(f"{person.uuid}.png", ContentFile(b"\x89PNG\r\n\x1a\nportrait"), save=True)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    student = factory.LazyFunction(student_person)
    offer = factory.SubFactory(OfferFactory)
    source = Enrolment.Source.SCOLARITE
