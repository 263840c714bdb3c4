import pytest

from domain.access import Actor, Grant, Permission, Role
from domain.errors import PermissionDenied

APPROVE = Permission("requirement.approve", roles=(Role.APPROVER,), scope="requirements:write")


def test_scoped_grant_covers_only_its_department():
    actor = Actor.user("U1", frozenset({Grant(Role.APPROVER, department_id=1)}))
    assert actor.can(APPROVE, department_id=1)
    assert not actor.can(APPROVE, department_id=2)


def test_global_grant_covers_every_department():
    actor = Actor.user("U1", frozenset({Grant(Role.APPROVER)}))
    assert actor.can(APPROVE, department_id=7)


def test_admin_role_does_not_imply_other_roles():
    admin = Actor.user("U1", frozenset({Grant(Role.ADMIN)}))
    assert admin.is_admin
    assert not admin.can(APPROVE, department_id=1)


def test_denial_names_the_roles_needed():
    nobody = Actor.user("U9", frozenset())
    with pytest.raises(PermissionDenied) as caught:
        nobody.require(APPROVE, department_id=1)
    assert caught.value.params["roles"] == "approver"
    assert caught.value.code == "errors.permission_denied"


def test_integration_needs_the_permission_scope():
    reader = Actor.integration("bi", frozenset({"requirements:read"}), api_key_id=1)
    writer = Actor.integration("ci", frozenset({"requirements:write"}), api_key_id=2)
    admin_key = Actor.integration("ops", frozenset({"admin"}), api_key_id=3)
    assert not reader.can(APPROVE)
    assert writer.can(APPROVE)
    assert admin_key.can(APPROVE)


def test_permission_without_scope_is_closed_to_integrations():
    local = Permission("x", roles=(Role.ADMIN,), scope=None)
    assert not Actor.integration("ops", frozenset({"admin"}), api_key_id=3).can(local)


def test_system_actor_may_do_anything():
    assert Actor.system().can(APPROVE, department_id=3)
    assert Actor.system().id_for_audit == "system:scheduler"
