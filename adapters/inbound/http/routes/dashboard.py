"""The dashboard face (seed 002): the seller's dashboard API under /v1, behind a JWT and `X-Cabinet-Id`.

Empty for now; its routes are added here as rows of TABLE, with the dashboard's guard.
"""

from adapters.inbound.http.routing import RouteTable

TAGS = ("dashboard",)

TABLE = RouteTable(name="dashboard", prefix="/v1", routes=())
