"""The bot gateway when no bot is configured (BOT_WEBHOOK_URL unset): every delivery fails with a reason
the delivery log shows, and the rows retry on the schedule, so a bot configured within hours still gets
them."""

from application.ports.notifications import DeliveryResult, OutgoingNotification


class NoBotGateway:
    async def send(self, notification: OutgoingNotification) -> DeliveryResult:
        return DeliveryResult(
            ok=False, status=None, duration_ms=0, error="no bot is configured (BOT_WEBHOOK_URL)"
        )
