"""Strict readers for settings that come from the environment.

A value that cannot be understood stops the process with a message naming the variable,
so a typo in a deployment never silently falls back to a default.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """A string, or the contents of the file named by NAME_FILE (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_path!r} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, allowed: set[int] | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc
    if allowed is not None and value not in allowed:
        raise ImproperlyConfigured(f"{name}={raw!r}: use one of {sorted(allowed)}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name}={raw!r} has an empty item: separate values with single commas.")
    return items


def parse_database_url(url: str, var_name: str = "DATABASE_URL") -> dict:
    """Turn `sqlite:///path` or `postgresql://user:pass@host:port/name?opt=v` into a DATABASES entry."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        # sqlite:///var/db.sqlite3 is relative to the working directory; sqlite:////srv/db.sqlite3 is absolute.
        path = unquote(parts.path[1:])
        if parts.netloc or not path:
            raise ImproperlyConfigured(f"{var_name}={url!r}: give a file, e.g. sqlite:///var/hoptac.sqlite3")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # One connection per worker, kept (opening one costs the public page a third of its
            # time: connect, the PRAGMAs, Django's SQL functions). Safe with gunicorn's sync
            # workers (a thread each) and runserver (it closes each request thread's connections).
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            # WAL lets the web server read while a command writes; IMMEDIATE avoids lock upgrades.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"{var_name}={url!r} names no database (…/DBNAME).")
        try:
            port = parts.port
        except ValueError as exc:
            raise ImproperlyConfigured(f"{var_name}={url!r} has a bad port.") from exc
        # Storage is SSD: PostgreSQL's default random_page_cost (4, for spinning disks) made it
        # scan all organisations instead of using the (commune, kind) index for a province's
        # counts. A URL's own ?options=… replaces this.
        options.setdefault("options", "-c random_page_cost=1.1 -c jit=off")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"{var_name}={url!r}: unsupported scheme {parts.scheme!r}; use sqlite:///… or postgresql://…"
    )
