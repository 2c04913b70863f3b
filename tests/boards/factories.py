import datetime

import factory

from boards.models import (
    Agreement,
    AuthorisedOfficer,
    Board,
    ChairTerm,
    Partner,
    PartnerKind,
    QuorumRule,
    Seat,
    TermsOfReference,
)
from tests.governance.factories import UserFactory


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = PartnerKind.NHS_BODY


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Section 75 agreement {n}")
    host_partner = factory.SubFactory(PartnerFactory)
    starts_on = datetime.date(2024, 4, 1)

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create:
            obj.partners.set(extracted or [obj.host_partner])


class AuthorisedOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorisedOfficer

    agreement = factory.SubFactory(AgreementFactory)
    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"officer{n}@partner.example")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Board
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership Board {n}")
    agreement = factory.SubFactory(AgreementFactory)
    # The meeting rules most tests assume (PMG 4.6, IE papers, IFPG reconvening);
    # a new board made through the services starts with none (tests of that say so).
    extraordinary_notice_clear_days = 3
    papers_working_days = 4
    reconvene_within_days = 31

    @factory.post_generation
    def partners(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.partners.set(extracted)

    @factory.post_generation
    def secretaries(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.secretaries.set(extracted)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    board = factory.SubFactory(BoardFactory)
    title = factory.Sequence(lambda n: f"Seat {n}")
    partner = factory.SubFactory(PartnerFactory)
    voting = True
    categories = factory.LazyFunction(list)
    holder = factory.SubFactory(UserFactory)


class QuorumRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuorumRule

    board = factory.SubFactory(BoardFactory)
    business_type = "routine"


class TermsOfReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsOfReference

    board = factory.SubFactory(BoardFactory)
    version = factory.Sequence(lambda n: f"v{n}")
    review_due = datetime.date(2030, 1, 1)


class ChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairTerm

    board = factory.SubFactory(BoardFactory)
    person = factory.SubFactory(UserFactory)
    starts_on = datetime.date(2024, 1, 1)
