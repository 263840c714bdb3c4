"""`/api/v1/reports/operations`: the operations report as JSON or CSV (scope `reports:read`)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.params import QueryParameter

from api.auth import require_scope
from api.dependencies import AppContainer, Principal
from api.schemas import problems
from domain.errors import ValidationFailed
from domain.inspections.schedule import check_timezone
from domain.reports.export import report_rows, report_to_dict
from domain.reports.models import Period, ReportKind
from domain.reports.services import build_report

DEFAULT_SPAN = timedelta(days=7)


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
        responses=problems(403, 404, 422),
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
