"""HTTP fetching with Kabar's limits (see `fetcher`)."""

from kabar.core.feeds.fetch.fetcher import (
    USER_AGENT,
    Fetcher,
    FetchLimits,
    HTTPStatusError,
    Response,
    limits_from,
)

__all__ = ["USER_AGENT", "FetchLimits", "Fetcher", "HTTPStatusError", "Response", "limits_from"]
