"""The West Kent demo fund (demo/data/west-kent-bcf-s75-annex-2015.yaml: the annex's
figures) loaded through the pooled_funds services, and the beat task over it."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings

from demo import load
from pooled_funds.models import PooledFund, Return
from pooled_funds.selectors import fund_overview
from pooled_funds.tasks import returns_reminders

pytestmark = pytest.mark.django_db

FUND = "West Kent Better Care Fund 2015/16"


def test_west_kent_demo_reproduces_the_annex_and_is_idempotent():
    """KCC £8.708m + CCG £17.686m = £26.394m; schemes and budgets as in Schedule 1;
    two schemes with no direct funding; £2.229m performance payment; a year of returns,
    Q1-Q4 approved."""
    load.load(meetings=False)
    load.load(meetings=False)
    fund = PooledFund.objects.get(name=FUND)
    assert PooledFund.objects.filter(name=FUND).count() == 1
    overview = fund_overview(fund)
    assert overview["reconciliation"]["balanced"]
    assert overview["reconciliation"]["contributed"] == Decimal("26394000")
    budgets = {s.reference: s.budget for s in overview["schemes"]}
    assert budgets["BCF REF WK002"] == Decimal("3092000")
    assert budgets["BCF REF WK003"] == Decimal("14335000")
    assert budgets["BCF REF WK005"] == budgets["BCF REF WK006"] == Decimal("0")
    assert fund.performance_payment.amount == Decimal("2229000")
    assert fund.manager.email == "manager@demo.example"
    assert fund.finance_officers.filter(email="finance@demo.example").exists()
    assert set(Return.objects.filter(fund=fund).values_list("period", "status")) == {
        ("2015-Q1", "approved"),
        ("2015-Q2", "approved"),
        ("2015-Q3", "approved"),
        ("2015-Q4", "approved"),
    }
    # The latest approved return (Q4, the sample upload's year-end figures): self
    # and informal care £13,000 over.
    shares = {row.partner: row.share for row in overview["shares"]}
    assert shares["NHS West Kent CCG"].overspend == Decimal("13000")


def test_beat_schedule_runs_the_reminders_task(time_machine):
    """The reminder task is on the beat schedule and runs idempotently."""
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "pooled_funds.tasks.returns_reminders" in names
    load.load(meetings=False)
    # Leicestershire's 2018/19 Q4 is due on 15 April 2019: the joint commissioning
    # areas' (a draft in the demo) and the Learning Disabilities' (sent back) are
    # reminded; West Kent's year is complete.
    time_machine.move_to(datetime.datetime(2019, 4, 10, 9, tzinfo=datetime.UTC))
    first = returns_reminders()
    assert first["reminders"] == 2
    assert returns_reminders()["reminders"] == 0
