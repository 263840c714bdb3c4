"""Monitoring into incidents: Prometheus Alertmanager's webhook and generic events (`dedup_key`).

Alertmanager receiver configuration:

    receivers:
      - name: platops
        webhook_configs:
          - url: https://platops.example.com/api/v1/integrations/alertmanager?platform=web
            http_config:
              authorization: {type: Bearer, credentials: pok_…}
            send_resolved: true

One incident per alert group; severity and platform come from labels (`severity`, `platform` by
default; the label names and the value → severity mapping are set in the config file's
`incidents` section); `?platform=` is the fallback.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, Field

from api.auth import require_scope
from api.dependencies import AppContainer, Principal
from api.schemas import problems
from bot.bootstrap import Container
from domain.incidents.alerts import (
    Alert,
    AlertGroup,
    Ingested,
    SourceResolvedTexts,
    ingest_alert_group,
    ingest_event,
)


class AlertIn(BaseModel):
    status: Literal["firing", "resolved"]
    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    startsAt: datetime  # camelCase: Alertmanager's own field names
    endsAt: datetime | None = None
    generatorURL: str = ""
    fingerprint: str = Field(min_length=1, max_length=64)


class AlertmanagerIn(BaseModel):
    """Alertmanager webhook payload, version 4."""

    version: Literal["4"]
    groupKey: str = Field(min_length=1, max_length=4000)
    truncatedAlerts: int = 0
    status: Literal["firing", "resolved"]
    receiver: str = ""
    groupLabels: dict[str, str] = Field(default_factory=dict)
    commonLabels: dict[str, str] = Field(default_factory=dict)
    commonAnnotations: dict[str, str] = Field(default_factory=dict)
    externalURL: str = ""
    alerts: list[AlertIn] = Field(min_length=1, max_length=1000)


class EventIn(BaseModel):
    dedup_key: str = Field(min_length=1, max_length=200)
    action: Literal["trigger", "resolve"] = "trigger"
    title: str = Field(default="", max_length=150)
    severity: str = Field(default="SEV3", examples=["SEV2"])
    platform: str = Field(default="", max_length=40)
    description: str = Field(default="", max_length=3000)


class IngestedOut(BaseModel):
    outcome: str = Field(description="opened, updated, resolved, noted or ignored")
    incident: str | None = Field(description="INC-n, when there is one")
    status: str | None = None
    occurrences: int | None = None


def _texts(container: Container) -> SourceResolvedTexts:
    t = container.default_translator
    return SourceResolvedTexts(t("inc.auto.resolved_summary"), t("inc.auto.resolved_note"))


def _out(ingested: Ingested) -> IngestedOut:
    incident = ingested.incident
    return IngestedOut(
        outcome=ingested.outcome.value,
        incident=incident.key if incident else None,
        status=incident.status.value if incident else None,
        occurrences=incident.occurrences if incident else None,
    )


class IncidentIntegrationsController(Controller):
    path = "/integrations"
    tags = ["incidents"]  # noqa: RUF012  # Litestar reads it as a class attribute
    guards = [require_scope("incidents:write")]  # noqa: RUF012

    @post(
        "/alertmanager",
        responses=problems(403, 413, 422),
        summary="Prometheus Alertmanager webhook (version 4)",
        status_code=HTTP_200_OK,
    )
    async def alertmanager(
        self,
        container: AppContainer,
        principal: Principal,
        data: JSONBody[AlertmanagerIn],
        platform: Annotated[
            str | None, QueryParameter(description="Platform when the alerts carry no label")
        ] = None,
    ) -> IngestedOut:
        group = AlertGroup(
            status=data.status,
            group_key=data.groupKey,
            receiver=data.receiver,
            group_labels=data.groupLabels,
            common_labels=data.commonLabels,
            common_annotations=data.commonAnnotations,
            external_url=data.externalURL,
            alerts=[
                Alert(
                    status=a.status,
                    labels=a.labels,
                    annotations=a.annotations,
                    fingerprint=a.fingerprint,
                    starts_at=a.startsAt,
                    ends_at=a.endsAt,
                )
                for a in data.alerts
            ],
        )
        async with container.uow() as uow:
            ingested = await ingest_alert_group(
                uow, principal.actor, group, _texts(container), platform
            )
            await uow.commit()
        return _out(ingested)

    @post(
        "/events",
        responses=problems(403, 413, 422),
        summary="Generic monitoring event: trigger or resolve by dedup_key",
        status_code=HTTP_200_OK,
    )
    async def event(
        self, container: AppContainer, principal: Principal, data: JSONBody[EventIn]
    ) -> IngestedOut:
        async with container.uow() as uow:
            ingested = await ingest_event(
                uow,
                principal.actor,
                action=data.action,
                dedup_key=data.dedup_key,
                texts=_texts(container),
                title=data.title,
                platform=data.platform,
                severity=data.severity,
                description=data.description,
            )
            await uow.commit()
        return _out(ingested)
