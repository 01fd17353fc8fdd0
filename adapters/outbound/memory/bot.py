"""An in-memory bot for use-case tests: records what it is sent and answers as scripted."""

from collections.abc import Callable

from application.ports.notifications import DeliveryResult, OutgoingNotification

Answer = Callable[[OutgoingNotification], DeliveryResult]


def ok(_: OutgoingNotification) -> DeliveryResult:
    return DeliveryResult(ok=True, status=200, duration_ms=1)


class RecordingBot:
    """`answer` decides each result (default: 200). `received` is every notification the bot accepted,
    in order (duplicates included: a receiver dedupes by id, which `unique_ids` shows)."""

    def __init__(self, answer: Answer = ok) -> None:
        self.answer = answer
        self.received: list[OutgoingNotification] = []
        self.calls = 0

    async def send(self, notification: OutgoingNotification) -> DeliveryResult:
        self.calls += 1
        result = self.answer(notification)
        if result.ok:
            self.received.append(notification)
        return result

    @property
    def unique_ids(self) -> set[object]:
        return {n.id for n in self.received}
