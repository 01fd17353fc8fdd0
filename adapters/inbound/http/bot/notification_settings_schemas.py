"""The inputs and answers of the bot's notification settings routes (seed 000 §1), by the seed's names; the
dashboard's `/v1/notifications/settings` answers and takes the same.

The settings body is strict, as the domain is: an unknown field, `1` for a switch, `true` or `3.0` for a
number, or `null` anywhere is a 400 naming the field, never a guess.
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StrictBool, StrictInt, model_validator

from adapters.inbound.http.schemas import BIGINT, Schema
from application.notifications.settings import MAX_IGNORED
from domain.notifications import STOCK_ANALYSIS_DAYS, NotificationSettings

ABOUT = {
    "notifications_enabled": "The master switch: off, nothing is sent but a cabinet's key being rejected.",
    "new_orders_enabled": "New orders (FBS and FBW).",
    "order_buyouts_enabled": "Orders bought out.",
    "order_cancellations_enabled": "Orders cancelled.",
    "order_returns_enabled": "Orders returned.",
    "negative_reviews_enabled": "Reviews rated at or below review_rating_threshold.",
    "critical_stocks_enabled": "Articles whose stock lasts stock_analysis_days or less (or ran out).",
    "missing_cogs_enabled": "Not in the seed: a closed week sold articles without a cost (COGS), told once "
    "per cabinet and week.",
    "review_rating_threshold": "Reviews rated at or below this are negative (0 to 5; 0: none is).",
    "stock_analysis_days": "Days of stock left at which an article is critical: 1, 3, 7, 10 or 14.",
    "grouping_enabled": "Many events of one type within group_timeout become one summary message.",
    "max_group_size": "More events than this (1 to 50) of one type within group_timeout are summed up.",
    "group_timeout": "The grouping window, in seconds (1 to 300).",
}


def _one_of_analysis_days(value: int) -> int:
    if value not in STOCK_ANALYSIS_DAYS:
        raise ValueError(f"must be one of {', '.join(map(str, STOCK_ANALYSIS_DAYS))}")
    return value


def _optional(name: str, enum: tuple[int, ...] = (), **constraints: Any) -> Any:
    """A field that may be left out (then it keeps its value), but not sent as null. The default (None,
    never seen by a handler, which reads only the fields set) is kept out of the document."""

    def document(schema: dict[str, Any]) -> None:
        schema.pop("default", None)
        if enum:
            schema["enum"] = list(enum)

    return Field(default=None, description=ABOUT[name], json_schema_extra=document, **constraints)


AnalysisDays = Annotated[StrictInt, AfterValidator(_one_of_analysis_days)]
NmId = Annotated[StrictInt, Field(gt=0, le=BIGINT)]
QueryNmId = Annotated[int, Field(gt=0, le=BIGINT)]  # a query's values are text: "7" is 7 there


class SettingsQuery(Schema):
    telegram_id: int = Field(gt=0, le=BIGINT, description="The user's Telegram id.")


class NotificationSettingsChanges(Schema):
    """Any non-empty subset of the settings; those left out keep their values. The stock ignore list is not
    here: it has its own routes."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})

    notifications_enabled: StrictBool = _optional("notifications_enabled")
    new_orders_enabled: StrictBool = _optional("new_orders_enabled")
    order_buyouts_enabled: StrictBool = _optional("order_buyouts_enabled")
    order_cancellations_enabled: StrictBool = _optional("order_cancellations_enabled")
    order_returns_enabled: StrictBool = _optional("order_returns_enabled")
    negative_reviews_enabled: StrictBool = _optional("negative_reviews_enabled")
    critical_stocks_enabled: StrictBool = _optional("critical_stocks_enabled")
    missing_cogs_enabled: StrictBool = _optional("missing_cogs_enabled")
    review_rating_threshold: StrictInt = _optional("review_rating_threshold", ge=0, le=5)
    stock_analysis_days: AnalysisDays = _optional("stock_analysis_days", enum=STOCK_ANALYSIS_DAYS)
    grouping_enabled: StrictBool = _optional("grouping_enabled")
    max_group_size: StrictInt = _optional("max_group_size", ge=1, le=50)
    group_timeout: StrictInt = _optional("group_timeout", ge=1, le=300)

    @model_validator(mode="after")
    def _something(self) -> "NotificationSettingsChanges":
        if not self.model_fields_set:
            raise ValueError("nothing to update: give at least one setting")
        return self

    def changes(self) -> dict[str, object]:
        """Only the settings the request gave."""
        return self.model_dump(exclude_unset=True)


class NotificationSettingsData(Schema):
    notifications_enabled: bool = Field(description=ABOUT["notifications_enabled"])
    new_orders_enabled: bool = Field(description=ABOUT["new_orders_enabled"])
    order_buyouts_enabled: bool = Field(description=ABOUT["order_buyouts_enabled"])
    order_cancellations_enabled: bool = Field(description=ABOUT["order_cancellations_enabled"])
    order_returns_enabled: bool = Field(description=ABOUT["order_returns_enabled"])
    negative_reviews_enabled: bool = Field(description=ABOUT["negative_reviews_enabled"])
    critical_stocks_enabled: bool = Field(description=ABOUT["critical_stocks_enabled"])
    missing_cogs_enabled: bool = Field(description=ABOUT["missing_cogs_enabled"])
    review_rating_threshold: int = Field(ge=0, le=5, description=ABOUT["review_rating_threshold"])
    stock_analysis_days: int = Field(
        description=ABOUT["stock_analysis_days"], json_schema_extra={"enum": list(STOCK_ANALYSIS_DAYS)}
    )
    grouping_enabled: bool = Field(description=ABOUT["grouping_enabled"])
    max_group_size: int = Field(ge=1, le=50, description=ABOUT["max_group_size"])
    group_timeout: int = Field(ge=1, le=300, description=ABOUT["group_timeout"])
    stock_ignore_list: list[int] = Field(
        description="Articles (nmIds) never reported as critical stock, ascending; changed through "
        "/api/v1/notifications/settings/stock-ignore-list."
    )


class NotificationSettingsAnswer(Schema):
    success: Literal[True] = True
    data: NotificationSettingsData


def settings_answer(s: NotificationSettings) -> NotificationSettingsAnswer:
    """The settings as the bot's and the dashboard's settings routes answer them."""
    data = NotificationSettingsData(
        notifications_enabled=s.notifications_enabled,
        new_orders_enabled=s.new_orders_enabled,
        order_buyouts_enabled=s.order_buyouts_enabled,
        order_cancellations_enabled=s.order_cancellations_enabled,
        order_returns_enabled=s.order_returns_enabled,
        negative_reviews_enabled=s.negative_reviews_enabled,
        critical_stocks_enabled=s.critical_stocks_enabled,
        missing_cogs_enabled=s.missing_cogs_enabled,
        review_rating_threshold=s.review_rating_threshold,
        stock_analysis_days=s.stock_analysis_days,
        grouping_enabled=s.grouping_enabled,
        max_group_size=s.max_group_size,
        group_timeout=s.group_timeout,
        stock_ignore_list=sorted(s.excluded_stock_nm_ids),
    )
    return NotificationSettingsAnswer(data=data)


class StockIgnoreAdd(Schema):
    model_config = ConfigDict(extra="forbid")

    nm_ids: list[NmId] = Field(
        min_length=1,
        max_length=MAX_IGNORED,
        description=f"Articles (nmIds) to ignore; those already ignored are fine. The list holds at most "
        f"{MAX_IGNORED}.",
    )


class StockIgnoreRemove(Schema):
    nm_id: list[QueryNmId] = Field(
        min_length=1,
        max_length=MAX_IGNORED,
        description="An article (nmId) to stop ignoring; repeat it for several (`&nm_id=1&nm_id=2`). "
        "One not in the list is fine.",
    )


class StockIgnoreRemoveQuery(StockIgnoreRemove, SettingsQuery):
    """The bot's form: the user's telegram_id, then the articles (the order of the document's parameters)."""


class StockIgnoreData(Schema):
    nm_ids: list[int] = Field(description="The ignored articles (nmIds), ascending.")


class StockIgnoreAnswer(Schema):
    success: Literal[True] = True
    data: StockIgnoreData


def ignored_answer(nm_ids: list[int]) -> StockIgnoreAnswer:
    return StockIgnoreAnswer(data=StockIgnoreData(nm_ids=nm_ids))
