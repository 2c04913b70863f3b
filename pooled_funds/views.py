"""Pooled fund pages. Thin: fetch what the user may see (permissions.py), call one
service, show its refusal as a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from governance import workflow
from governance.exceptions import RuleViolation

from . import imports, periods, selectors
from .forms import (
    ContributionForm,
    DecisionForm,
    FundForm,
    MetricActualsForm,
    PeriodForm,
    ReturnLineFormSet,
    SchemeForm,
    SendBackForm,
    UploadForm,
)
from .models import Contribution, ImportJob, Metric, MetricActual, Return, Scheme
from .permissions import get_fund_for_user, get_return_for_user, require_create_fund
from .report import return_bcf_rows, return_bcf_workbook, return_report_pdf
from .services import decisions, funds, import_jobs, reminders, returns
from .services.returns import return_reconciliation

ENTER = "pooled_funds.enter_returns"
APPROVE = "pooled_funds.approve_returns"
DECIDE = "pooled_funds.record_decisions"
MANAGE = "pooled_funds.manage_fund"
SCHEMES = "pooled_funds.manage_schemes"


FUNDS_PAGE = 50


@require_GET
def fund_list(request):
    """The funds the user may see, newest year first, 50 a page (a list that grows
    by every fund each financial year)."""
    page = Paginator(selectors.funds_list(request.user), FUNDS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "pooled_funds/fund_list.html",
        {
            "funds": page.object_list,
            "page": page,
            "can_create": request.user.has_perm("pooled_funds.create_fund"),
        },
    )


@require_GET
def fund_detail(request, pk):
    fund = get_fund_for_user(request.user, pk)
    period = request.GET.get("period") or None
    context = selectors.fund_overview(fund, period=period)
    context["can_enter"] = request.user.has_perm(ENTER, fund)
    context["can_decide"] = request.user.has_perm(DECIDE, fund)
    context["can_manage"] = request.user.has_perm(SCHEMES, fund)
    context["can_edit_fund"] = request.user.has_perm(MANAGE, fund)
    return render(request, "pooled_funds/fund_detail.html", context)


def _default_period(fund, today=None) -> str:
    from django.utils import timezone

    labels = fund.period_labels()
    current = periods.current(
        fund.frequency, fund.financial_year, today or timezone.localdate()
    )
    return current or labels[0]


@require_http_methods(["GET", "POST"])
def return_enter(request, pk):
    """Enter or correct a return by form: one row per scheme, prefilled from the
    existing draft or from the schemes' budgets."""
    fund = get_fund_for_user(request.user, pk, perm=ENTER)
    period = (
        request.POST.get("period") or request.GET.get("period") or _default_period(fund)
    )
    existing = Return.objects.filter(fund=fund, period=period).first()
    if existing is not None and existing.locked:
        messages.info(request, f"The return for {existing.period_label} is locked.")
        return redirect(existing)
    schemes = list(
        Scheme.objects.filter(fund=fund, active=True).select_related("lead_partner")
    )
    lines = {}
    if existing is not None:
        lines = {line.scheme_id: line for line in existing.lines.all()}
    initial = []
    for scheme in schemes:
        line = lines.get(scheme.pk)
        initial.append(
            {
                "scheme": scheme.reference,
                "scheme_label": f"{scheme.reference} {scheme.name}",
                "original_budget": line.original_budget if line else scheme.budget,
                "budget": line.budget if line else scheme.budget,
                "actual_to_date": line.actual_to_date if line else None,
                "forecast_outturn": line.forecast_outturn if line else None,
                "activity": line.activity if line else "",
                "commentary": line.commentary if line else "",
                "action_plan": line.action_plan if line else "",
            }
        )
    head = PeriodForm(
        request.POST or None,
        fund=fund,
        initial={
            "period": period,
            "narrative": existing.narrative if existing else "",
            "difference_explanation": existing.difference_explanation
            if existing
            else "",
        },
    )
    formset = ReturnLineFormSet(request.POST or None, initial=initial, prefix="line")
    labels = {s.reference: f"{s.reference} {s.name}" for s in schemes}
    if request.method == "POST" and head.is_valid() and formset.is_valid():
        rows = [
            {
                **{k: v for k, v in form.cleaned_data.items() if k != "scheme"},
                "scheme": form.cleaned_data["scheme"],
            }
            for form in formset
        ]
        try:
            ret = returns.return_enter(
                fund=fund,
                period=head.cleaned_data["period"],
                rows=rows,
                user=request.user,
                narrative=head.cleaned_data["narrative"],
                difference_explanation=head.cleaned_data["difference_explanation"],
            )
        except returns.ReturnRejected as exc:
            for error in exc.errors:
                if error.row and 0 < error.row <= len(formset.forms):
                    form = formset.forms[error.row - 1]
                    field = error.column if error.column in form.fields else None
                    form.add_error(field, error.message)
                else:
                    head.add_error(None, str(error))
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"Return for {ret.period_label} saved as a draft."
            )
            return redirect(ret)
    for form in formset:
        form.scheme_title = labels.get(
            form.initial.get("scheme") or form.data.get(form.add_prefix("scheme"), ""),
            "",
        )
    return render(
        request,
        "pooled_funds/return_form.html",
        {"fund": fund, "head": head, "formset": formset, "existing": existing},
    )


@require_http_methods(["GET", "POST"])
def return_upload(request, pk):
    """Upload the template as CSV or Excel: all rows checked, then saved in one
    transaction, or every error listed by row and column and nothing saved."""
    fund = get_fund_for_user(request.user, pk, perm=ENTER)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        fund=fund,
        initial={"period": request.GET.get("period") or _default_period(fund)},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        if import_jobs.import_is_large(filename=upload.name, content=content):
            job = import_jobs.return_import_queue(
                fund=fund,
                period=form.cleaned_data["period"],
                filename=upload.name,
                content=content,
                user=request.user,
            )
            return redirect(job)
        try:
            ret = returns.return_import(
                fund=fund,
                period=form.cleaned_data["period"],
                filename=upload.name,
                content=content,
                user=request.user,
            )
        except returns.ReturnRejected as exc:
            errors = exc.errors
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"Return for {ret.period_label} uploaded: {ret.lines.count()} lines saved "
                "as a draft.",
            )
            return redirect(ret)
    return render(
        request,
        "pooled_funds/return_upload.html",
        {
            "fund": fund,
            "form": form,
            "errors": errors,
            "columns": imports.TEMPLATE_COLUMNS,
        },
    )


@require_GET
def return_template(request, pk, fmt):
    """The return template for a period, with the schemes and budgets filled in."""
    fund = get_fund_for_user(request.user, pk)
    period = request.GET.get("period") or _default_period(fund)
    if period not in fund.period_labels():
        period = _default_period(fund)
    rows = imports.template_rows(
        period=period,
        schemes=Scheme.objects.filter(fund=fund).values_list(
            "reference", "name", "budget"
        ),
    )
    name = f"return-template-{fund.pk}-{period}"
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse(imports.template_csv(rows), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _return_actions(ret, fund, user) -> list[str]:
    """What the return's status and the user's permissions allow; the service
    refuses approving (or sending back) one's own submission, so it is not offered."""
    actions = workflow.available_actions(ret, user, subject=fund)
    if ret.submitted_by_id == user.pk:
        actions = [a for a in actions if a not in ("approve", "send_back")]
    return actions


@require_GET
def return_detail(request, pk):
    ret = get_return_for_user(request.user, pk)
    fund = get_fund_for_user(request.user, ret.fund_id)
    ret.fund = fund
    views = selectors.return_lines(ret)
    metrics = selectors.metrics_view(fund)
    series = selectors.variance_series(fund)
    return render(
        request,
        "pooled_funds/return_detail.html",
        {
            "fund": fund,
            "ret": ret,
            "lines": views,
            "totals": selectors.totals(views),
            "shares": selectors.risk_share_rows(fund, views),
            "series": series,
            "metrics": metrics,
            "charts": selectors.fund_charts(fund, views, series, metrics),
            "reconciliation": return_reconciliation(ret),
            "can_enter": request.user.has_perm(ENTER, fund),
            "actions": _return_actions(ret, fund, request.user),
            "send_back_form": SendBackForm(),
            "missing_plans": [
                v.line.scheme.reference
                for v in views
                if v.derived.action_plan_required and not v.line.action_plan.strip()
            ],
        },
    )


@require_GET
def return_report(request, pk):
    ret = get_return_for_user(request.user, pk)
    response = HttpResponse(return_report_pdf(ret), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="return-{ret.pk}-{ret.period}.pdf"'
    )
    return response


@require_POST
def return_submit(request, pk):
    ret = get_return_for_user(request.user, pk, perm=ENTER)
    try:
        returns.return_submit(ret=ret, user=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Return submitted to the pooled fund manager.")
    return redirect(ret)


@require_POST
def return_approve(request, pk):
    ret = get_return_for_user(request.user, pk, perm=APPROVE)
    try:
        ret = returns.return_approve(ret=ret, user=request.user)
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        if ret.agenda_item_id:
            messages.success(
                request,
                "Return approved and added as a paper to the board's next meeting.",
            )
        else:
            messages.warning(
                request,
                "Return approved. No meeting of the board is scheduled yet: the paper is "
                "pending and goes to the next meeting once one is scheduled.",
            )
    return redirect(ret)


@require_POST
def return_send_back(request, pk):
    ret = get_return_for_user(request.user, pk, perm=APPROVE)
    form = SendBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reasons for sending the return back.")
        return redirect(ret)
    try:
        returns.return_send_back(
            ret=ret, user=request.user, reason=form.cleaned_data["reason"]
        )
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Return sent back to the finance officers.")
    return redirect(ret)


@require_http_methods(["GET", "POST"])
def decision_record(request, pk):
    fund = get_fund_for_user(request.user, pk, perm=DECIDE)
    form = DecisionForm(request.POST or None, fund=fund)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.fund_decision_record(
                fund=fund, user=request.user, **form.cleaned_data
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Decision recorded.")
            return redirect(fund)
    return render(
        request, "pooled_funds/decision_form.html", {"fund": fund, "form": form}
    )


@require_http_methods(["GET", "POST"])
def metric_actuals(request, pk):
    """Finance officers record the metrics' actuals for a quarter."""
    fund = get_fund_for_user(request.user, pk, perm=ENTER)
    metrics = list(Metric.objects.filter(fund=fund))
    period = request.POST.get("period") or request.GET.get("period") or ""
    labels = periods.labels("quarterly", fund.financial_year)
    if period not in labels:
        period = (
            periods.current("quarterly", fund.financial_year, _today()) or labels[0]
        )
    initial = {"period": period}
    for actual in MetricActual.objects.filter(metric__fund=fund, period=period):
        initial[f"metric_{actual.metric_id}"] = actual.actual
    form = MetricActualsForm(
        request.POST or None, fund=fund, metrics=metrics, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            written = reminders.metric_actuals_record(
                fund=fund,
                period=form.cleaned_data["period"],
                values=form.values(),
                user=request.user,
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{written} metric actual(s) recorded.")
            return redirect(fund)
    return render(
        request, "pooled_funds/metric_actuals.html", {"fund": fund, "form": form}
    )


def _today():
    from django.utils import timezone

    return timezone.localdate()


@require_GET
def return_bcf_xlsx(request, pk):
    """The quarterly BCF return as an .xlsx in the national template's layout."""
    ret = get_return_for_user(request.user, pk)
    response = HttpResponse(
        return_bcf_workbook(ret),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bcf-{ret.pk}-{ret.period}.xlsx"'
    )
    return response


@require_GET
def return_bcf_csv(request, pk):
    """The BCF quarterly report of a return as CSV, to paste into the national
    template."""
    ret = get_return_for_user(request.user, pk)
    response = HttpResponse(
        imports.template_csv(return_bcf_rows(ret)), content_type="text/csv"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bcf-{ret.pk}-{ret.period}.csv"'
    )
    return response


@require_GET
def import_job(request, pk):
    """A background import: its progress, then its result. While it runs, the
    status fragment polls itself (htmx) every two seconds."""
    job = get_object_or_404(ImportJob.objects.select_related("fund", "ret"), pk=pk)
    fund = get_fund_for_user(request.user, job.fund_id)
    template = (
        "pooled_funds/partials/import_status.html"
        if request.headers.get("HX-Request")
        else "pooled_funds/import_job.html"
    )
    return render(request, template, {"job": job, "fund": fund})


def _setup_form(request, *, form, title, fund, save, back):
    """One page for every set-up form: the service decides; its refusal is shown
    on the form. A refusal by the grant table (naming a manager or finance officer
    the user may not give) is shown on the form with status 403."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "You may not make this change.")
            status = 403
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            _add_model_errors(form, exc)
        else:
            messages.success(request, f"Saved: {obj}.")
            return redirect(obj.get_absolute_url() if fund is None else fund)
    return render(
        request,
        "pooled_funds/setup_form.html",
        {"form": form, "title": title, "fund": fund, "back": back},
        status=status,
    )


def _add_model_errors(form, exc: ValidationError) -> None:
    """The model's own validation, on the field it names where the form has it."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _fields(form) -> dict:
    return dict(form.cleaned_data)


@require_http_methods(["GET", "POST"])
def fund_create(request):
    require_create_fund(request.user)
    form = FundForm(request.POST or None)

    def save(form):
        data = _fields(form)
        return funds.fund_create(
            user=request.user,
            finance_officers=data.pop("finance_officers", []),
            **data,
        )

    return _setup_form(
        request, form=form, title="New pooled fund", fund=None, save=save, back=None
    )


@require_http_methods(["GET", "POST"])
def fund_edit(request, pk):
    fund = get_fund_for_user(request.user, pk, perm=MANAGE)
    form = FundForm(request.POST or None, instance=fund)

    def save(form):
        data = _fields(form)
        return funds.fund_update(
            fund=fund,
            user=request.user,
            finance_officers=data.pop("finance_officers", None),
            **data,
        )

    # The form's instance is changed by validation; the service re-reads the row.
    return _setup_form(
        request, form=form, title=f"Edit {fund}", fund=fund, save=save, back=fund
    )


@require_http_methods(["GET", "POST"])
def scheme_create(request, pk):
    fund = get_fund_for_user(request.user, pk, perm=SCHEMES)
    form = SchemeForm(request.POST or None, fund=fund)
    return _setup_form(
        request,
        form=form,
        title=f"New scheme of {fund}",
        fund=fund,
        save=lambda f: funds.scheme_add(fund=fund, user=request.user, **_fields(f)),
        back=fund,
    )


@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    scheme = get_object_or_404(Scheme, pk=pk)
    fund = get_fund_for_user(request.user, scheme.fund_id, perm=SCHEMES)
    form = SchemeForm(
        request.POST or None, instance=Scheme.objects.get(pk=pk), fund=fund
    )
    return _setup_form(
        request,
        form=form,
        title=f"Edit scheme {scheme}",
        fund=fund,
        save=lambda f: funds.scheme_update(
            scheme=scheme, user=request.user, **_fields(f)
        ),
        back=fund,
    )


@require_http_methods(["GET", "POST"])
def contribution_create(request, pk):
    fund = get_fund_for_user(request.user, pk, perm=SCHEMES)
    form = ContributionForm(request.POST or None, fund=fund)
    return _setup_form(
        request,
        form=form,
        title=f"New contribution to {fund}",
        fund=fund,
        save=lambda f: funds.contribution_add(
            fund=fund, user=request.user, **_fields(f)
        ),
        back=fund,
    )


@require_http_methods(["GET", "POST"])
def contribution_edit(request, pk):
    contribution = get_object_or_404(Contribution, pk=pk)
    fund = get_fund_for_user(request.user, contribution.fund_id, perm=SCHEMES)
    form = ContributionForm(
        request.POST or None, instance=Contribution.objects.get(pk=pk), fund=fund
    )
    return _setup_form(
        request,
        form=form,
        title=f"Edit contribution: {contribution}",
        fund=fund,
        save=lambda f: funds.contribution_update(
            contribution=contribution, user=request.user, **_fields(f)
        ),
        back=fund,
    )
