"""Exit 0 if the PostgreSQL server of a database URL accepts connections (used by `make test`).

Connects to the server's `postgres` database, since the test database itself is created by
the test run.
"""

import sys
from urllib.parse import urlsplit, urlunsplit

try:
    import psycopg
except ImportError:  # pragma: no cover - psycopg is a pinned dependency
    sys.exit(1)

url = sys.argv[1]
parts = urlsplit(url)
if parts.scheme not in {"postgres", "postgresql"}:
    sys.exit(1)
try:
    psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3).close()
except psycopg.Error:
    sys.exit(1)
