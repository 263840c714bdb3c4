"""Who may take backups, and how sizes are shown."""

import pytest

from domain.access import Actor, Grant, Role
from domain.backups.services import authorize_backup, human_size
from domain.errors import PermissionDenied


@pytest.mark.parametrize(
    "grant", [Grant(Role.ADMIN), Grant(Role.OPERATOR), Grant(Role.OPERATOR, platform_id=3)]
)
def test_admins_and_operators_may_back_up(grant):
    authorize_backup(Actor.user("U1", frozenset({grant})))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPROVER, Role.AUDITOR, Role.MODERATOR])
def test_other_roles_may_not(role):
    with pytest.raises(PermissionDenied) as caught:
        authorize_backup(Actor.user("U1", frozenset({Grant(role)})))
    assert caught.value.params["roles"] == "admin, operator"


def test_integrations_need_the_admin_scope():
    authorize_backup(Actor.integration("ci", frozenset({"admin"}), api_key_id=1))
    with pytest.raises(PermissionDenied):
        authorize_backup(Actor.integration("bi", frozenset({"reports:read"}), api_key_id=2))


def test_human_sizes():
    assert [human_size(n) for n in (10, 1536, 5 * 1024**2, 3 * 1024**4)] == [
        "10 B",
        "1.5 KB",
        "5.0 MB",
        "3072.0 GB",
    ]
