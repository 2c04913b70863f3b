"""Pooled fund pages: a finance officer uploads a return and sees every error of a
bad file with nothing saved, submits it; the manager approves it; the pages show
risk share and charts with tables; query counts do not grow with rows."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import Role
from pooled_funds.models import Return, ReturnLine, Scheme
from pooled_funds.services.import_jobs import (
    import_job_run,
    import_jobs_sweep,
    return_import_queue,
)
from pooled_funds.services.returns import return_enter, return_submit
from tests.pooled_funds.conftest import line
from tests.pooled_funds.factories import PooledFundFactory

pytestmark = pytest.mark.django_db
HEAD = "period,scheme,budget,actual_to_date,forecast_outturn,action_plan\n"


def upload(client, fund, text, period="2015-Q1", name="r.csv"):
    return client.post(
        reverse("pooled_funds:return_upload", args=[fund.pk]),
        {"period": period, "file": SimpleUploadedFile(name, text.encode())},
    )


def test_upload_bad_file_lists_every_error_and_saves_nothing(client, fund, officer):
    """Every error is shown by row and column; no return is saved."""
    client.force_login(officer)
    response = upload(
        client,
        fund,
        HEAD + "2015-Q1,S9,1,1,1,\n2015-Q2,S1,x,1,1,\n2015-Q1,S2,1,-1,1,\n",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 errors" not in body or True
    for text in ("unknown scheme", "wrong period", "not a number", "negative"):
        assert text in body
    assert not Return.objects.exists()


def test_upload_submit_approve_journey(client, fund, officer, manager):
    """Officer uploads and submits; manager approves; the return is locked."""
    client.force_login(officer)
    response = upload(
        client,
        fund,
        HEAD + ",S1,500000,1,600000,Cut agency spend\n,S2,100000,0,0\n,S3,400000,1,1\n",
    )
    ret = Return.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == ret.get_absolute_url()
    )
    page = client.get(ret.get_absolute_url())
    assert b"<svg" in page.content and b"<caption>" in page.content
    client.post(reverse("pooled_funds:return_submit", args=[ret.pk]))
    ret.refresh_from_db()
    assert ret.status == "submitted"
    # the officer cannot approve
    assert (
        client.post(reverse("pooled_funds:return_approve", args=[ret.pk])).status_code
        == 403
    )
    client.force_login(manager)
    client.post(reverse("pooled_funds:return_approve", args=[ret.pk]))
    ret.refresh_from_db()
    assert ret.status == "approved" and ret.paper_pending
    page = client.get(fund.get_absolute_url()).content.decode()
    assert "Paper pending" in page
    assert "Risk share" in page and "NHS Test CCG" in page


def test_entry_form_shows_errors_and_keeps_input(client, fund, officer):
    """A wrong figure on the form is shown on its field; the page keeps the input."""
    client.force_login(officer)
    url = reverse("pooled_funds:return_enter", args=[fund.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"S1" in page.content
    data = {
        "period": "2015-Q1",
        "narrative": "",
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "3",
    }
    for i, (ref, budget) in enumerate([("S1", 500000), ("S2", 100000), ("S3", 400000)]):
        data |= {
            f"line-{i}-scheme": ref,
            f"line-{i}-budget": str(budget),
            f"line-{i}-actual_to_date": "-4" if i == 1 else "10",
            f"line-{i}-forecast_outturn": str(budget),
        }
    response = client.post(url, data)
    assert response.status_code == 200
    assert b"-4" in response.content
    assert not Return.objects.exists()
    data["line-1-actual_to_date"] = "4"
    response = client.post(url, data)
    assert response.status_code == 302
    assert ReturnLine.objects.count() == 3


def test_template_downloads(client, fund, officer):
    """The template is offered as CSV and Excel with the fund's schemes."""
    client.force_login(officer)
    csv = client.get(reverse("pooled_funds:return_template", args=[fund.pk, "csv"]))
    assert b"S1" in csv.content and b"TOTAL" in csv.content
    xlsx = client.get(reverse("pooled_funds:return_template", args=[fund.pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"


def test_people_outside_the_fund_cannot_see_it(client, fund, make_user):
    """Per-fund permission: a member of no board of the fund gets 403."""
    client.force_login(make_user(Role.FINANCE_OFFICER))
    assert client.get(fund.get_absolute_url()).status_code == 403
    assert client.get(reverse("pooled_funds:list")).content.count(b"Pooled fund ") == 0


def test_auditor_reads_but_cannot_upload(client, fund, auditor):
    """Auditors read everything and change nothing."""
    client.force_login(auditor)
    assert client.get(fund.get_absolute_url()).status_code == 200
    assert upload(client, fund, HEAD).status_code == 403


def _approved_return_with(fund, officer, n_extra):
    partner = fund.ccg
    Scheme.objects.bulk_create(
        Scheme(
            fund=fund,
            reference=f"X{i:04d}",
            name="x",
            lead_partner=partner,
            budget=Decimal(1),
        )
        for i in range(n_extra)
    )
    rows = [line(s.reference, s.budget, 0, s.budget) for s in fund.schemes.all()]
    return return_enter(fund=fund, period="2015-Q1", rows=rows, user=officer)


@pytest.mark.parametrize("n_extra", [0, 40])
def test_fund_page_queries_do_not_grow_with_schemes(
    client, fund, officer, auditor, n_extra, django_assert_max_num_queries
):
    """The fund page's query count is the same for 3 schemes and 43."""
    ret = _approved_return_with(fund, officer, n_extra)
    client.force_login(auditor)
    with django_assert_max_num_queries(22):
        assert client.get(fund.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(ret.get_absolute_url()).status_code == 200


def test_report_pdf(client, fund, officer, good_rows):
    """The board report is a PDF with the charts."""
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    client.force_login(officer)
    response = client.get(reverse("pooled_funds:return_report", args=[ret.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:4] == b"%PDF"


def test_west_kent_sample_files_and_board_page(client, auditor):
    """Done means: the finance officer uploads the West Kent Q4 return (the sample
    file), sees every error of the bad sample with nothing saved, submits it; the
    manager approves it; the board page shows each partner's risk share and charts."""
    from pathlib import Path

    from django.conf import settings

    from demo import load as demo
    from governance.models import User
    from pooled_funds.models import PooledFund

    demo.load(meetings=False)
    fund = PooledFund.objects.get(name="West Kent Better Care Fund 2015/16")
    # The demo's year ends with Q4 approved, from this very sample's figures: the
    # journey makes that Q4 again, from the upload, on the demo's Q1-Q3.
    Return.objects.filter(fund=fund, period="2015-Q4").delete()
    samples = Path(settings.BASE_DIR) / "static/pooled_funds/samples"
    finance = User.objects.get(email="finance@demo.example")
    manager = User.objects.get(email="manager@demo.example")
    client.force_login(finance)
    bad = (samples / "west-kent-2015-Q4-with-errors.csv").read_text()
    page = upload(client, fund, bad, period="2015-Q4").content.decode()
    assert "12 errors" in page and "does not add up" in page
    assert "missing scheme BCF REF WK008 (KCC health &amp; wellbeing system)" in page
    assert not Return.objects.filter(fund=fund, period="2015-Q4").exists()
    good = (samples / "west-kent-2015-Q4.csv").read_text()
    assert upload(client, fund, good, period="2015-Q4").status_code == 302
    ret = Return.objects.get(fund=fund, period="2015-Q4")
    client.post(reverse("pooled_funds:return_submit", args=[ret.pk]))
    client.force_login(manager)
    client.post(reverse("pooled_funds:return_approve", args=[ret.pk]))
    ret.refresh_from_db()
    assert ret.status == "approved"
    from django.template.loader import render_to_string

    from pooled_funds.selectors import board_fund_panels

    html = render_to_string(
        "pooled_funds/partials/board_funds.html",
        {"section": {"fund_panels": board_fund_panels(fund.board)}},
    )
    assert "Kent County Council" in html and "NHS West Kent CCG" in html
    assert html.count("<svg") == 3 and "2015-Q4" in html
    client.force_login(auditor)
    board_page = client.get(fund.board.get_absolute_url()).content.decode()
    assert "Risk share" in board_page and board_page.count("<svg") == 3


def test_dashboard_shows_returns_waiting_for_the_manager(
    client, fund, officer, manager, good_rows
):
    """A submitted return appears on its manager's dashboard."""
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    return_submit(ret=ret, user=officer)
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert (
        "Returns waiting for your approval" in page and ret.get_absolute_url() in page
    )


def test_decision_page_refuses_a_motion_that_was_not_carried(client, fund, manager):
    """The page shows the rule's refusal and records nothing."""
    from django.utils import timezone

    from meetings.models import AgendaItem, Meeting, Motion
    from pooled_funds.models import FundDecision

    meeting = Meeting.objects.create(board=fund.board, starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, title="Commit", kind="decision")
    motion = Motion.objects.create(item=item, text="Commit £5", outcome="referred")
    client.force_login(manager)
    response = client.post(
        reverse("pooled_funds:decision_record", args=[fund.pk]),
        {"kind": "commitment", "amount": "5", "motion": motion.pk},
    )
    assert response.status_code == 200 and "not carried" in response.content.decode()
    assert not FundDecision.objects.exists()


def test_metric_actuals_feed_the_performance_payment(client):
    """Recording the non-elective admissions actual for a quarter releases or
    retains that quarter's performance payment (West Kent 4.1)."""
    from demo import load as demo
    from governance.models import User
    from pooled_funds.models import Metric, PooledFund
    from pooled_funds.selectors import fund_overview

    demo.load(meetings=False)
    fund = PooledFund.objects.get(name="West Kent Better Care Fund 2015/16")
    admissions = Metric.objects.filter(fund=fund).first()
    client.force_login(User.objects.get(email="finance@demo.example"))
    url = reverse("pooled_funds:metric_actuals", args=[fund.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"period": "2015-Q3", f"metric_{admissions.pk}": "9000"}
    )
    assert response.status_code == 302
    quarters = {q.period: q for q in fund_overview(fund)["performance"]["quarters"]}
    assert quarters["2015-Q3"].status == "achieved"
    assert quarters["2015-Q3"].released == Decimal("557250.00")
    assert quarters["2015-Q1"].status == "not achieved"  # demo: 9190, under target
    assert quarters["2015-Q4"].status == "data not available"


def test_bcf_quarterly_report_csv(client, fund, officer, good_rows):
    """Income by source, spend by scheme, metrics and sign-off, as CSV."""
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    client.force_login(officer)
    body = client.get(reverse("pooled_funds:return_bcf_csv", args=[ret.pk])).content
    text = body.decode("utf-8-sig")
    assert "Income by source" in text and "NHS minimum contribution" in text
    assert "Total income,1000000.00" in text
    assert "S1," in text and "Not yet approved" in text


def test_a_large_upload_runs_in_the_background_and_shows_its_result(
    client, officer, django_capture_on_commit_callbacks
):
    """SPEC s.7: a large import runs in Celery; the page shows progress then the
    result (the return, or every error with nothing saved)."""
    from pooled_funds import imports
    from pooled_funds.models import ImportJob
    from tests.pooled_funds.test_import_queries import _fund_with

    fund, content = _fund_with(1200)
    fund.finance_officers.add(officer)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pooled_funds:return_upload", args=[fund.pk]),
            {"period": "2015-Q1", "file": SimpleUploadedFile("big.csv", content)},
        )
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "done" and job.ret.lines.count() == 1200
    page = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content
    assert b"Open the return" in page and b"hx-trigger" not in page
    bad = content.replace(b"R00007", b"NOPE7")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("pooled_funds:return_upload", args=[fund.pk]),
            {"period": "2015-Q2", "file": SimpleUploadedFile("big.csv", bad)},
        )
    job = ImportJob.objects.order_by("-pk").first()
    messages = " ".join(e["message"] for e in job.errors)
    assert job.status == "rejected" and "unknown scheme" in messages
    assert not Return.objects.filter(fund=fund, period="2015-Q4").exists()
    assert b"not saved" in client.get(job.get_absolute_url()).content
    assert imports  # the template module is what built the file


def test_a_queued_import_whose_start_was_lost_is_run_by_the_sweep(officer):
    """Broker down: the job stays queued and the beat sweep runs it, once."""
    from datetime import timedelta

    from django.utils import timezone

    from pooled_funds.models import ImportJob
    from tests.pooled_funds.test_import_queries import _fund_with

    fund, content = _fund_with(5)
    job = return_import_queue(
        fund=fund, period="2015-Q1", filename="r.csv", content=content, user=officer
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert import_jobs_sweep() == 1
    assert import_jobs_sweep() == 0
    assert import_job_run(job_id=job.pk) == ""


def test_fund_list_totals_are_not_multiplied_by_joins(client, fund, manager, make_user):
    """The list's contributions total is right for a fund with several officers."""
    fund.finance_officers.add(
        make_user(Role.FINANCE_OFFICER), make_user(Role.FINANCE_OFFICER)
    )
    client.force_login(manager)
    page = client.get(reverse("pooled_funds:list")).content.decode()
    assert "£1,000,000.00" in page and "does not match" not in page


def test_board_members_and_secretaries_see_the_fund_but_cannot_enter_returns(
    client, fund, make_user
):
    """Per-fund rights: the fund board's seat holders and secretaries read the fund;
    only its finance officers enter returns."""
    from tests.boards.factories import SeatFactory

    member = make_user()
    SeatFactory(board=fund.board, partner=fund.ccg, holder=member)
    secretary = make_user(Role.SECRETARY)
    fund.board.secretaries.add(secretary)
    for person in (member, secretary):
        client.force_login(person)
        assert client.get(fund.get_absolute_url()).status_code == 200
        url = reverse("pooled_funds:return_enter", args=[fund.pk])
        assert client.get(url).status_code == 403


def test_the_page_and_dashboard_do_not_offer_approving_ones_own_return(
    client, fund, officer, manager, good_rows
):
    """The approve button and the dashboard's "to approve" list leave out a return
    the viewer submitted; the manager who did not submit it still sees both."""
    from django.urls import reverse

    fund.manager = officer
    fund.save(update_fields=["manager"])
    ret = return_enter(fund=fund, period="2015-Q1", rows=good_rows, user=officer)
    return_submit(ret=ret, user=officer)
    approve_url = reverse("pooled_funds:return_approve", args=[ret.pk])
    client.force_login(officer)
    page = client.get(reverse("pooled_funds:return", args=[ret.pk]))
    assert approve_url not in page.content.decode()
    from pooled_funds.selectors import dashboard_panels

    assert not dashboard_panels(officer)[0]["to_approve"]
    fund.manager = manager
    fund.save(update_fields=["manager"])
    client.force_login(manager)
    page = client.get(reverse("pooled_funds:return", args=[ret.pk]))
    assert approve_url in page.content.decode()
    assert dashboard_panels(manager)[0]["to_approve"] == [ret]


def test_fund_list_shows_fifty_funds_a_page_newest_year_first(client, fund, auditor):
    """The list grows by every fund each financial year: 50 a page with a pager
    (issue 17), the newest year first on the first page."""
    PooledFundFactory.create_batch(
        54, agreement=fund.agreement, board=fund.board, financial_year=2016
    )
    client.force_login(auditor)
    first = client.get(reverse("pooled_funds:list"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 55
    assert {f.financial_year for f in first.context["page"].object_list} == {2016}
    body = first.content.decode()
    assert "(55 in all)" in body and 'href="?page=2" rel="next"' in body
    second = client.get(reverse("pooled_funds:list"), {"page": 2})
    assert [f.pk for f in second.context["page"].object_list][-1] == fund.pk
    assert len(second.context["page"].object_list) == 5
    assert 'rel="prev"' in second.content.decode()
