"""The office's clock: every time the pipeline records or shows is in the office's zone.

Stages that need the time receive a ``Clock`` (tests and benchmarks hand
in one that reads a fixed or moving source); none calls
``datetime.now()`` itself (docs/architecture.md, "The shape").
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo


class Clock:
    """The time now in ``zone``, read from ``source`` (a callable returning a datetime).

    Whatever zone the source keeps, ``now()`` answers in the office's zone; a
    naive time from the source is taken as the office's own.
    """

    def __init__(self, zone: ZoneInfo | dt.tzinfo, source: Callable[[], dt.datetime] | None = None) -> None:
        self.zone = zone
        self.source = source or (lambda: dt.datetime.now(zone))

    def now(self) -> dt.datetime:
        moment = self.source()
        return moment.astimezone(self.zone) if moment.tzinfo else moment.replace(tzinfo=self.zone)

    def stamp(self) -> str:
        """Now as the register writes it: ISO 8601 to the second, with the zone."""
        return self.now().isoformat(timespec="seconds")
