"""The whole suite's log, scanned for the personal data of every user the tests created.

``tests/ops/conftest.py`` starts the recording when collection is done and
scans at the end of the session; a hit fails the run and names the lines.
"""

import logging
import re
from pathlib import Path

from sqlalchemy import event

from app.models import User
from app.observability import JsonFormatter

MIN_LENGTH = 6  # shorter values ("Test") would match ordinary words


class Recording:
    def __init__(self, path: Path):
        self.path = path
        self.values: set[str] = set()
        self.handler = logging.FileHandler(path, encoding="utf-8")
        self.handler.setFormatter(JsonFormatter())
        self.handler.setLevel(logging.DEBUG)

    def _remember(self, mapper, connection, user: User) -> None:
        self.values.update(v for v in (user.full_name, user.email, user.phone, user.username) if v)

    def start(self) -> None:
        logging.getLogger().addHandler(self.handler)
        event.listen(User, "after_insert", self._remember)

    def stop(self) -> list[str]:
        logging.getLogger().removeHandler(self.handler)
        event.remove(User, "after_insert", self._remember)
        self.handler.close()
        return personal_data_in(self.path.read_text(encoding="utf-8"), self.values)


def personal_data_in(log: str, values) -> list[str]:
    """The log lines that contain one of ``values`` (case-insensitive), each with the value found."""
    wanted = [v for v in values if len(v) >= MIN_LENGTH]
    if not wanted:
        return []
    pattern = re.compile("|".join(re.escape(v) for v in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    return [f"{match.group(0)!r} in: {line[:300]}" for line in log.splitlines() if (match := pattern.search(line))]
