"""The system face: probes for orchestrators and the API's own description. No guard."""

from adapters.inbound.http import docs, health
from adapters.inbound.http.routing import Returns, Route, RouteTable

TAGS = ("system",)

TABLE = RouteTable(
    name="system",
    prefix="",
    routes=(
        Route(
            "GET",
            "/health",
            health.liveness,
            summary="Liveness: the process serves",
            tags=TAGS,
            responses={200: Returns("Alive", health.Liveness)},
        ),
        Route(
            "GET",
            "/ready",
            health.readiness,
            summary="Readiness: Postgres and Redis answer",
            tags=TAGS,
            responses={
                200: Returns("Ready to serve", health.Readiness),
                503: Returns("Not ready: `checks` names the dependency that fails", health.Readiness),
            },
        ),
        Route(
            "GET",
            "/openapi.json",
            docs.openapi_document,
            summary="This OpenAPI document",
            tags=TAGS,
            responses={200: Returns("OpenAPI 3.1", schema={"type": "object"})},
        ),
        Route(
            "GET",
            "/docs",
            docs.docs_page,
            summary="Swagger UI over this document (offline)",
            tags=TAGS,
            responses={200: Returns("An HTML page", media_type="text/html", schema={"type": "string"})},
        ),
    ),
)
