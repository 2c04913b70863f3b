"""Pooled funds API (SPEC s.8): read funds, schemes and contributions; create and
move returns through their workflow; read the risk share. Thin: permission helpers,
one service or selector, a serializer."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from governance.api import ListPagination
from governance.models import User
from pooled_funds.services import funds
from pooled_funds.services.decisions import fund_decision_record
from pooled_funds.services.reminders import metric_actuals_record
from pooled_funds.services.returns import (
    ReturnRejected,
    return_approve,
    return_enter,
    return_send_back,
    return_submit,
)

from .. import periods, selectors
from ..models import (
    Contribution,
    FundDecision,
    MetricActual,
    PooledFund,
    Return,
    Scheme,
)
from ..permissions import (
    funds_for_user,
    get_fund_for_user,
    get_return_for_user,
    require_create_fund,
)
from . import serializers as s


def _return_out(ret: Return) -> dict:
    ret.line_views = selectors.return_lines(ret)
    return s.ReturnOut(ret).data


def _rejected(exc: ReturnRejected) -> ValidationError:
    """Row errors as a 400: ``period`` for the period, ``lines`` by line number
    (from 1, in the order sent) and column, and the flat list in ``errors``."""
    body: dict = {
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message} for e in exc.errors
        ]
    }
    for e in exc.errors:
        if e.column == "period" and e.row is None:
            body.setdefault("period", []).append(e.message)
        elif e.row:
            body.setdefault("lines", {}).setdefault(str(e.row), {}).setdefault(
                e.column or "non_field_errors", []
            ).append(e.message)
        else:
            body.setdefault("non_field_errors", []).append(e.message)
    return ValidationError(body)


class FundList(generics.ListAPIView):
    serializer_class = s.FundOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PooledFund.objects.none()
        return (
            funds_for_user(self.request.user)
            .prefetch_related(
                Prefetch(
                    "finance_officers",
                    queryset=User.objects.only("pk"),
                    to_attr="finance_officer_list",
                )
            )
            .order_by("-financial_year", "name")
        )

    @extend_schema(request=s.FundIn, responses={201: s.FundOut})
    def post(self, request):
        """Create a fund (administrators and pooled fund managers)."""
        require_create_fund(request.user)
        data = s.FundIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fund = funds.fund_create(
            user=request.user,
            finance_officers=fields.pop("finance_officers", []),
            **fields,
        )
        return Response(s.FundOut(fund).data, status=status.HTTP_201_CREATED)


class FundDetail(APIView):
    @extend_schema(responses=s.FundOut)
    def get(self, request, pk):
        return Response(s.FundOut(get_fund_for_user(request.user, pk)).data)

    @extend_schema(request=s.FundIn, responses=s.FundOut)
    def patch(self, request, pk):
        """Change the fields sent (the fund's manager and administrators)."""
        fund = get_fund_for_user(request.user, pk, perm=MANAGE)
        data = s.FundIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fund = funds.fund_update(
            fund=fund,
            user=request.user,
            finance_officers=fields.pop("finance_officers", None),
            **fields,
        )
        return Response(s.FundOut(fund).data)


class SchemeList(generics.ListAPIView):
    serializer_class = s.SchemeOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Scheme.objects.none()
        fund = get_fund_for_user(self.request.user, self.kwargs["pk"])
        return Scheme.objects.filter(fund=fund)

    @extend_schema(request=s.SchemeIn, responses={201: s.SchemeOut})
    def post(self, request, pk):
        """Add a scheme (the fund's manager and finance officers)."""
        fund = get_fund_for_user(request.user, pk, perm=SCHEMES)
        data = s.SchemeIn(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = funds.scheme_add(fund=fund, user=request.user, **data.validated_data)
        return Response(s.SchemeOut(scheme).data, status=status.HTTP_201_CREATED)


class SchemeDetail(APIView):
    @extend_schema(responses=s.SchemeOut)
    def get(self, request, pk):
        scheme = get_object_or_404(Scheme, pk=pk)
        get_fund_for_user(request.user, scheme.fund_id)
        return Response(s.SchemeOut(scheme).data)

    @extend_schema(request=s.SchemeIn, responses=s.SchemeOut)
    def patch(self, request, pk):
        """Change the fields sent; a budget only while the fund is being set up."""
        scheme = get_object_or_404(Scheme, pk=pk)
        get_fund_for_user(request.user, scheme.fund_id, perm=SCHEMES)
        data = s.SchemeIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        scheme = funds.scheme_update(
            scheme=scheme, user=request.user, **data.validated_data
        )
        return Response(s.SchemeOut(scheme).data)


class ContributionList(generics.ListAPIView):
    serializer_class = s.ContributionOut

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        fund = get_fund_for_user(self.request.user, self.kwargs["pk"])
        return Contribution.objects.filter(fund=fund).select_related("partner")

    @extend_schema(request=s.ContributionIn, responses={201: s.ContributionOut})
    def post(self, request, pk):
        """Add a contribution by partner, stream, scheme and locality (the fund's
        manager and finance officers)."""
        fund = get_fund_for_user(request.user, pk, perm=SCHEMES)
        data = s.ContributionIn(data=request.data, fund=fund)
        data.is_valid(raise_exception=True)
        contribution = funds.contribution_add(
            fund=fund, user=request.user, **data.validated_data
        )
        return Response(
            s.ContributionOut(contribution).data, status=status.HTTP_201_CREATED
        )


class ContributionDetail(APIView):
    @extend_schema(responses=s.ContributionOut)
    def get(self, request, pk):
        contribution = get_object_or_404(Contribution, pk=pk)
        get_fund_for_user(request.user, contribution.fund_id)
        return Response(s.ContributionOut(contribution).data)

    @extend_schema(request=s.ContributionIn, responses=s.ContributionOut)
    def patch(self, request, pk):
        contribution = get_object_or_404(Contribution, pk=pk)
        fund = get_fund_for_user(request.user, contribution.fund_id, perm=SCHEMES)
        data = s.ContributionIn(data=request.data, fund=fund, partial=True)
        data.is_valid(raise_exception=True)
        contribution = funds.contribution_update(
            contribution=contribution, user=request.user, **data.validated_data
        )
        return Response(s.ContributionOut(contribution).data)


class FundReturns(ListPagination, APIView):
    @extend_schema(responses=s.ReturnSummaryOut(many=True))
    def get(self, request, pk):
        fund = get_fund_for_user(request.user, pk)
        returns = Return.objects.filter(fund=fund).order_by("period")
        return self.paginated(returns, s.ReturnSummaryOut)

    @extend_schema(request=s.ReturnIn, responses={201: s.ReturnOut})
    def post(self, request, pk):
        """Create (or replace the lines of) the draft return for a period. The
        whole return is validated first; any error answers 400 and saves nothing."""
        fund = get_fund_for_user(request.user, pk, perm="pooled_funds.enter_returns")
        data = s.ReturnIn(data=request.data)
        data.is_valid(raise_exception=True)
        by_id = {
            str(pk): ref
            for pk, ref in Scheme.objects.filter(fund=fund).values_list(
                "id", "reference"
            )
        }
        rows = []
        for line in data.validated_data["lines"]:
            row = {k: ("" if v is None else str(v)) for k, v in line.items()}
            row["scheme"] = by_id.get(row["scheme"], row["scheme"])
            rows.append(row)
        try:
            ret = return_enter(
                fund=fund,
                period=data.validated_data["period"],
                rows=rows,
                user=request.user,
                narrative=data.validated_data.get("narrative"),
                difference_explanation=data.validated_data.get(
                    "difference_explanation"
                ),
            )
        except ReturnRejected as exc:
            raise _rejected(exc) from exc
        return Response(_return_out(ret), status=status.HTTP_201_CREATED)


class ReturnDetail(APIView):
    @extend_schema(responses=s.ReturnOut)
    def get(self, request, pk):
        return Response(_return_out(get_return_for_user(request.user, pk)))


class ReturnSubmit(APIView):
    @extend_schema(request=None, responses=s.ReturnOut)
    def post(self, request, pk):
        ret = get_return_for_user(request.user, pk, perm="pooled_funds.enter_returns")
        return Response(_return_out(return_submit(ret=ret, user=request.user)))


class ReturnApprove(APIView):
    @extend_schema(request=None, responses=s.ReturnOut)
    def post(self, request, pk):
        ret = get_return_for_user(request.user, pk, perm="pooled_funds.approve_returns")
        return Response(_return_out(return_approve(ret=ret, user=request.user)))


class ReturnSendBack(APIView):
    @extend_schema(request=s.SendBackIn, responses=s.ReturnOut)
    def post(self, request, pk):
        ret = get_return_for_user(request.user, pk, perm="pooled_funds.approve_returns")
        data = s.SendBackIn(data=request.data)
        data.is_valid(raise_exception=True)
        ret = return_send_back(
            ret=ret, user=request.user, reason=data.validated_data["reason"]
        )
        return Response(_return_out(ret))


class RiskShare(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description='"2015-Q1" or "2015-06"; blank: the latest approved return.',
            )
        ],
        responses=s.RiskShareOut,
    )
    def get(self, request, pk):
        """Each partner's overspend and underspend for the period (risk_share.py)."""
        fund = get_fund_for_user(request.user, pk)
        period = request.query_params.get("period") or None
        if period:
            try:
                periods.validate(
                    period, frequency=fund.frequency, financial_year=fund.financial_year
                )
            except periods.PeriodError as exc:
                raise ValidationError({"period": [str(exc)]}) from exc
        ret = selectors.return_for_period(fund, period)
        if ret is None:
            raise Http404("No return for this period.")
        ret.fund = fund
        shares = selectors.risk_share_rows(fund, selectors.return_lines(ret))
        return Response(
            s.RiskShareOut(
                {
                    "fund": fund.pk,
                    "period": ret.period,
                    "return_id": ret.pk,
                    "status": ret.status,
                    "partners": shares,
                }
            ).data
        )


DECIDE = "pooled_funds.record_decisions"
ENTER = "pooled_funds.enter_returns"
MANAGE = "pooled_funds.manage_fund"
SCHEMES = "pooled_funds.manage_schemes"


class FundDecisions(ListPagination, APIView):
    """Decisions on money (Portsmouth PMG ToR 5.1.1-5.1.2), as the fund page's
    "Record a decision" form: the same permission and ``fund_decision_record``."""

    @extend_schema(responses=s.FundDecisionOut(many=True))
    def get(self, request, pk):
        fund = get_fund_for_user(request.user, pk)
        decisions = FundDecision.objects.filter(fund=fund).order_by("recorded_at", "pk")
        return self.paginated(decisions, s.FundDecisionOut)

    @extend_schema(request=s.FundDecisionIn, responses={201: s.FundDecisionOut})
    def post(self, request, pk):
        fund = get_fund_for_user(request.user, pk, perm=DECIDE)
        data = s.FundDecisionIn(data=request.data, fund=fund)
        data.is_valid(raise_exception=True)
        decision = fund_decision_record(
            fund=fund, user=request.user, **data.validated_data
        )
        return Response(
            s.FundDecisionOut(decision).data, status=status.HTTP_201_CREATED
        )


def _actuals(fund, period: str | None):
    rows = MetricActual.objects.filter(metric__fund=fund).select_related("metric")
    if period:
        rows = rows.filter(period=period)
    return rows.order_by("period", "metric__order", "metric_id")


class MetricActuals(ListPagination, APIView):
    """The metrics' actuals by quarter, as the fund's "Record metric actuals" page:
    the same permission and ``metric_actuals_record``."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description='A quarter, "2015-Q2"; blank: every quarter.',
            )
        ],
        responses=s.MetricActualOut(many=True),
    )
    def get(self, request, pk):
        fund = get_fund_for_user(request.user, pk)
        period = request.query_params.get("period") or None
        return self.paginated(_actuals(fund, period), s.MetricActualOut)

    @extend_schema(request=s.MetricActualsIn, responses=s.MetricActualsOut)
    def post(self, request, pk):
        """Record (or correct) a quarter's actuals; answers 200 with the quarter's
        actuals and how many values were written."""
        fund = get_fund_for_user(request.user, pk, perm=ENTER)
        data = s.MetricActualsIn(data=request.data, fund=fund)
        data.is_valid(raise_exception=True)
        period = data.validated_data["period"]
        written = metric_actuals_record(
            fund=fund,
            period=period,
            values={
                row["metric"]: row["actual"] for row in data.validated_data["values"]
            },
            user=request.user,
        )
        return Response(
            s.MetricActualsOut(
                {
                    "period": period,
                    "written": written,
                    "actuals": _actuals(fund, period),
                }
            ).data
        )
