"""/api/docs describes every /api/v1 route with schemas and the bearer security scheme."""

from __future__ import annotations

from tests.support.harness import Harness

BACKBONE_PATHS = {
    "/api/v1/me": {"get"},
    "/api/v1/keys": {"get", "post"},
    "/api/v1/keys/{prefix}": {"delete"},
    "/api/v1/events": {"get"},
    "/api/v1/webhooks": {"get", "post"},
    "/api/v1/webhooks/{subscription_id}": {"get", "delete"},
    "/api/v1/webhooks/{subscription_id}/deliveries": {"get"},
    "/api/v1/webhooks/{subscription_id}/test": {"post"},
}


async def test_openapi_documents_routes_schemas_and_bearer_auth(harness: Harness) -> None:
    response = await harness.http.get("/api/docs/openapi.json")
    assert response.status_code == 200  # public: no key needed to read the docs
    spec = response.json()
    scheme = spec["components"]["securitySchemes"]["apiKey"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert {"apiKey": []} in spec["security"]
    paths = spec["paths"]
    for path, methods in BACKBONE_PATHS.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            operation = paths[path][method]
            problems = operation["responses"]
            assert "401" in problems and "429" in problems, (path, method)
            assert "application/problem+json" in problems["401"]["content"]
    for path, operations in paths.items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, (path, method)
            for code in success:
                if code != "204":
                    content = operation["responses"][code]["content"]["application/json"]
                    assert content["schema"], (path, method, code)
    events = paths["/api/v1/events"]["get"]
    assert {p["name"] for p in events["parameters"]} >= {"after", "limit", "type"}
    page = spec["components"]["schemas"]["EventStreamPage"]["properties"]
    assert {"items", "next_cursor", "has_more"} <= set(page)
    assert "Problem" in spec["components"]["schemas"]
