"""A PostgreSQL register's URL as libpq reads it, and as it may be shown: what the configuration
checks and shows of ``register.url``, without opening any backend.

libpq's own parser reads the URL (psycopg's binding to it, imported only when a URL is read):
a hand parser would disagree with libpq on what carries a password.
"""

from urllib.parse import quote, urlencode

SECRET_KEYS = ("password", "sslpassword")  # libpq keywords that carry a secret


def conninfo(url: str) -> dict[str, str]:
    """``url`` parsed as libpq parses it (percent-encoded keys and values decoded: ``?%70assword=``
    is a password), as a dict of keywords; ValueError when libpq cannot read it."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        return {key: str(value) for key, value in conninfo_to_dict(url).items()}
    except psycopg.Error as exc:
        raise ValueError(str(exc)) from None


def redacted(url: str) -> str:
    """The URL as it may be shown: rebuilt from what libpq reads in it, without any secret in any
    spelling (``user:password@``, ``?password=``, percent-encoded keys)."""
    try:
        parts = conninfo(url)
    except (ValueError, ImportError):
        return "postgresql://(alamat register tidak terbaca)"
    user = f"{quote(parts.pop('user'), safe='')}@" if parts.get("user") else ""
    hosts, ports = parts.pop("host", "").split(","), parts.pop("port", "").split(",")
    ports = ports * len(hosts) if len(ports) == 1 else ports + [""] * len(hosts)  # one port serves every host
    host = ",".join(h + (f":{p}" if p else "") for h, p in zip(hosts, ports))
    database = quote(parts.pop("dbname", ""), safe="")
    options = {key: value for key, value in sorted(parts.items()) if key not in SECRET_KEYS}
    return f"postgresql://{user}{host}/{database}" + (f"?{urlencode(options)}" if options else "")
