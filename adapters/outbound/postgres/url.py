"""Database URLs: libpq spellings in, the SQLAlchemy psycopg 3 spelling out; passwords masked for logs."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SQLALCHEMY_SCHEME = "postgresql+psycopg"
# Schemes whose rest (host, port, path, libpq query parameters such as host=/socket/dir) psycopg reads as is.
_ACCEPTED_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2"})
_SECRET_QUERY_KEYS = frozenset({"password", "sslpassword"})
_MASK = "***"


def to_sqlalchemy_url(url: str) -> str:
    """`postgres://…`, `postgresql://…` (libpq URLs, socket-host forms too) → `postgresql+psycopg://…`.

    Only the scheme changes, so percent-encoding and query parameters pass through untouched.
    Raises ValueError for anything that is not a Postgres URL (the message never contains the URL).
    """
    scheme, sep, rest = url.strip().partition("://")
    if not sep or scheme.lower() not in _ACCEPTED_SCHEMES:
        shown = scheme if sep else "(none)"
        raise ValueError(f"not a PostgreSQL URL: scheme {shown!r}, expected postgresql:// or postgres://")
    return f"{_SQLALCHEMY_SCHEME}://{rest}"


def to_libpq_url(url: str) -> str:
    """Any accepted spelling → `postgresql://…`, for psycopg's own connections. Raises like
    `to_sqlalchemy_url`."""
    return "postgresql://" + to_sqlalchemy_url(url).partition("://")[2]


def redact_url(url: str) -> str:
    """The URL with any password (in the user info or in the query) replaced by ***, for logs."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "<unparseable url>"
    netloc = _redact_netloc(parts.netloc)
    query = _redact_query(parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _redact_netloc(netloc: str) -> str:
    userinfo, at, hostinfo = netloc.rpartition("@")
    if not at:
        return netloc
    user, colon, password = userinfo.partition(":")
    if not colon or not password:
        return netloc
    return f"{user}:{_MASK}@{hostinfo}"


def _redact_query(query: str) -> str:
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(key.lower() in _SECRET_QUERY_KEYS for key, _ in pairs):
        return query
    masked = [(key, _MASK if key.lower() in _SECRET_QUERY_KEYS else value) for key, value in pairs]
    return urlencode(masked, safe="/*")
