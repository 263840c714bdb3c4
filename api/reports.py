"""`/api/v1/reports/operations`: the operations report as JSON or CSV (scope `reports:read`)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import QueryParameter
from pydantic import BaseModel, Field, create_model

from api.auth import require_scope
from api.dependencies import AppContainer, Principal
from api.schemas import problems
from domain.errors import ValidationFailed
from domain.inspections.schedule import check_timezone
from domain.reports.export import report_rows, report_to_dict
from domain.reports.models import Period, ReportKind
from domain.reports.services import build_report

DEFAULT_SPAN = timedelta(days=7)


# The JSON shape (domain/reports/export.py builds it); documented here for the OpenAPI schema.
class RequirementsOut(BaseModel):
    submitted: int
    approved: int
    rejected: int
    changes_requested: int
    withdrawn: int
    live: int
    median_stage_hours: dict[str, float] = Field(description="Stage → median hours spent in it")
    has_data: bool


class IncidentsOut(BaseModel):
    declared: int
    by_severity: dict[str, int]
    mtta_minutes: float | None
    mttr_minutes: float | None
    mtta_minutes_by_severity: dict[str, float | None]
    mttr_minutes_by_severity: dict[str, float | None]
    sla_breaches: int = Field(description="Not acknowledged within the severity's SLA")
    resolved: int
    open_now: int
    has_data: bool


class InspectionsOut(BaseModel):
    opened: int
    done: int
    missed: int
    failed_items: int
    late: int
    has_data: bool


class ModerationOut(BaseModel):
    warnings: int
    bans: int
    bans_lifted: int
    appeals: int
    appeals_decided: int
    reports: int
    median_handling_hours: float | None
    has_data: bool


class TrendOut(BaseModel):
    days: list[str]
    incidents_by_severity: dict[str, list[int]]
    requirements: dict[str, list[int]] = Field(description="submitted/approved/live per day")


# Built with create_model because the JSON key "from" is a Python keyword.
_REPORT_FIELDS: dict[str, Any] = {
    "kind": (str, Field(description="daily, weekly or monthly (from the span)")),
    "from": (datetime, Field(description="Start of the period, inclusive")),
    "to": (datetime, Field(description="End of the period, exclusive")),
    "timezone": (str, ...),
    "platform": (str | None, ...),
    "generated_at": (datetime, ...),
    "requirements": (RequirementsOut, ...),
    "incidents": (IncidentsOut, ...),
    "inspections": (InspectionsOut, ...),
    "moderation": (ModerationOut, ...),
    "trend": (TrendOut, ...),
}
OperationsReportOut = create_model("OperationsReportOut", **_REPORT_FIELDS)


def _kind(span: timedelta) -> ReportKind:
    if span <= timedelta(days=1):
        return ReportKind.DAILY
    return ReportKind.WEEKLY if span <= timedelta(days=7) else ReportKind.MONTHLY


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class ReportsController(Controller):
    path = "/reports"
    tags = ["reports"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/operations",
        guards=[require_scope("reports:read")],
        responses={
            200: ResponseSpec(
                data_container=OperationsReportOut,
                description="The report (JSON); with ?format=csv: section,metric,value rows",
            ),
            **problems(403, 404, 422),
        },
        summary="Operations report for a period: JSON, or CSV with ?format=csv",
    )
    async def operations(
        self,
        container: AppContainer,
        principal: Principal,
        start: Annotated[
            datetime | None,
            QueryParameter(
                name="from", description="Start, inclusive (ISO 8601; default to − 7 days)"
            ),
        ] = None,
        end: Annotated[
            datetime | None,
            QueryParameter(name="to", description="End, exclusive (ISO 8601; default now)"),
        ] = None,
        platform: Annotated[str | None, QueryParameter(description="Platform key")] = None,
        timezone: Annotated[
            str | None, QueryParameter(description="Timezone of the daily trend (default setting)")
        ] = None,
        format: Annotated[str, QueryParameter(description="json or csv")] = "json",
    ) -> Response[Any]:
        if format not in ("json", "csv"):
            raise ValidationFailed.single("format", "errors.report.format", value=format)
        zone = check_timezone("timezone", timezone or container.settings.timezone)
        until = _aware(end) or container.clock.now()
        since = _aware(start) or until - DEFAULT_SPAN
        period = Period(_kind(until - since), since, until, zone)
        async with container.reader() as uow:
            report = await build_report(uow, principal.actor, period, platform)
        if format == "json":
            return Response(report_to_dict(report))
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["section", "metric", "value"])
        writer.writerows(report_rows(report))
        stamp = since.strftime("%Y%m%d")
        return Response(
            buffer.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="operations-{stamp}.csv"'},
        )
