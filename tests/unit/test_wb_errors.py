"""error_detail: WB's reason from any error body shape (reference/wb-api.md §1.4); it never raises."""

import pytest

from adapters.outbound.wb.errors import WbBadPayload, error_detail
from application.ports.wb import WbApiError

PROBLEM = (
    '{"title":"unauthorized","detail":"token expired; Manage tokens at https://seller.wildberries.ru",'
    '"code":"x","requestId":"r","origin":"s2s-api-auth-supplies","status":401}'
)


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (PROBLEM, "token expired; Manage tokens at https://seller.wildberries.ru"),
        ('{"code":"AccessDenied","message":"Доступ запрещён"}', "Доступ запрещён"),
        (
            '{"data":null,"error":true,"errorText":"Неверный запрос","additionalErrors":null}',
            "Неверный запрос",
        ),
        ('{"errors":["dateFrom: field required"]}', "dateFrom: field required"),
        ('{"errors":"dateFrom: Value not validated"}', "dateFrom: Value not validated"),
        ('{"title":"Invalid query params"}', "Invalid query params"),
        ('{"code":"IncorrectParameter"}', "IncorrectParameter"),
        ('[{"message":"boom"},"again"]', "boom; again"),
        ('"just a string"', "just a string"),
        ("<html><body>502 Bad Gateway</body></html>", "<html><body>502 Bad Gateway</body></html>"),
        ("  plain text  \n", "plain text"),
        ("", "empty response body"),
        ("[]", "[]"),
        ("{}", "{}"),
        ("null", "null"),
        ("{broken json", "{broken json"),
        ('{"detail":"   ","message":"second"}', "second"),
    ],
)
def test_error_detail_shapes(body: str, detail: str) -> None:
    assert error_detail(body) == detail


def test_error_detail_is_capped() -> None:
    assert len(error_detail("x" * 10_000)) == 500


def test_bad_payload_is_a_typed_api_error() -> None:
    err = WbBadPayload("FBS order.price", "missing")
    assert isinstance(err, WbApiError) and err.status is None
    assert "FBS order.price: missing" in str(err)
