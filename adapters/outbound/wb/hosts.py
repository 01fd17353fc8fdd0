"""Base URLs of the WB API hosts (reference/wb-api.md §2.0); bootstrap fills them from settings.

Against the simulator every host is the same `http://127.0.0.1:<port>` (it routes by path): `WbHosts.single`.
"""

import attrs


def _strip(url: str) -> str:
    return url.rstrip("/")


@attrs.frozen
class WbHosts:
    marketplace: str = attrs.field(default="https://marketplace-api.wildberries.ru", converter=_strip)
    statistics: str = attrs.field(default="https://statistics-api.wildberries.ru", converter=_strip)
    analytics: str = attrs.field(default="https://seller-analytics-api.wildberries.ru", converter=_strip)
    feedbacks: str = attrs.field(default="https://feedbacks-api.wildberries.ru", converter=_strip)
    returns: str = attrs.field(default="https://returns-api.wildberries.ru", converter=_strip)
    finance: str = attrs.field(default="https://finance-api.wildberries.ru", converter=_strip)
    common: str = attrs.field(default="https://common-api.wildberries.ru", converter=_strip)

    @classmethod
    def single(cls, base_url: str) -> "WbHosts":
        """Every host at one base URL (the simulator, a test double, a proxy)."""
        names = [a.name for a in attrs.fields(cls)]
        return cls(**dict.fromkeys(names, base_url))
