"""What every /api/v1 handler may ask for by name, and the router's providers for it.

async def handler(self, container: AppContainer, principal: Principal, page: PageParams)
"""

from __future__ import annotations

from typing import TypeAlias

from litestar.di import NamedDependency, Provide

from api.auth import ApiPrincipal, provide_principal
from api.pagination import PageRequest, provide_page
from bot.bootstrap import Container

AppContainer: TypeAlias = NamedDependency[Container]
Principal: TypeAlias = NamedDependency[ApiPrincipal]
PageParams: TypeAlias = NamedDependency[PageRequest]


def router_dependencies(container: Container) -> dict[str, Provide]:
    def provide_container() -> Container:
        return container

    return {
        "container": Provide(provide_container, sync_to_thread=False),
        "principal": Provide(provide_principal, sync_to_thread=False),
        "page": Provide(provide_page, sync_to_thread=False),
    }
