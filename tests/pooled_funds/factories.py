from decimal import Decimal

import factory

from boards.models import PartnerKind
from governance.models import Role
from pooled_funds.models import Contribution, FundingStream, PooledFund, Scheme
from tests.boards.factories import AgreementFactory, BoardFactory, PartnerFactory
from tests.governance.factories import UserFactory


class PooledFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PooledFund
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    board = factory.SubFactory(
        BoardFactory, agreement=factory.SelfAttribute("..agreement")
    )
    name = factory.Sequence(lambda n: f"Pooled fund {n}")
    host_partner = factory.SelfAttribute("agreement.host_partner")
    manager = factory.SubFactory(UserFactory, role=Role.FUND_MANAGER)
    financial_year = 2015
    frequency = "quarterly"
    due_day = 15
    pooled_total = Decimal("1000000")

    @factory.post_generation
    def finance_officers(obj, create, extracted, **kwargs):
        if create:
            obj.finance_officers.set(
                extracted
                if extracted is not None
                else [UserFactory(role=Role.FINANCE_OFFICER)]
            )


class SchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scheme

    fund = factory.SubFactory(PooledFundFactory)
    reference = factory.Sequence(lambda n: f"REF {n:05d}")
    name = factory.Sequence(lambda n: f"Scheme {n}")
    lead_partner = factory.SubFactory(PartnerFactory, kind=PartnerKind.NHS_BODY)
    budget = Decimal("100000")


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    fund = factory.SubFactory(PooledFundFactory)
    partner = factory.SubFactory(PartnerFactory)
    stream = FundingStream.NHS_MINIMUM
    amount = Decimal("500000")
