"""Bot routes: statistics (seed 000)."""

from adapters.inbound.http.routing import Route

ROUTES: tuple[Route, ...] = ()
