"""Logs for operators: one line per request and per job, errors with a traceback; never personal data.

A request's line holds its id (taken from the proxy's ``X-Request-ID`` or
made here, and sent back in the response), the user's id, the method, the
route's rule (``/refugees/<int:profile_id>``, never the path or query
string, which can hold names and tokens), the status and the duration.
``LOG_FORMAT=json`` writes one JSON object a line.
"""

import json
import logging
import re
import sys
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request

log = logging.getLogger("brueckenbau")
request_log = logging.getLogger("brueckenbau.request")

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Extra fields a log line may carry; anything else passed as ``extra`` is not written.
FIELDS = ("request_id", "user_id", "method", "route", "endpoint", "status", "duration_ms", "task", "outcome")
QUIET_ENDPOINTS = {"health.alive", "health.ready", "static"}


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamps every record made during a request with the request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({name: getattr(record, name) for name in FIELDS if getattr(record, name, None) is not None})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(
            f"{name}={getattr(record, name)}" for name in FIELDS if getattr(record, name, None) is not None
        )
        line = f"{self.formatTime(record)} {record.levelname} {record.name}: {record.getMessage()} {fields}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def configure_logging(app: Flask) -> None:
    """One handler on the ``brueckenbau`` logger, in the configured format (apps made later reconfigure it)."""
    handler = next((h for h in log.handlers if isinstance(h, StderrHandler)), None)
    if handler is None:
        handler = StderrHandler()
        handler.addFilter(RequestIdFilter())
        log.addHandler(handler)
    handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json" else TextFormatter())
    log.setLevel(app.config["LOG_LEVEL"])

    @app.before_request
    def start_request_log():
        offered = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = offered if _ACCEPTED_ID.match(offered) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def write_request_log(response):
        started = g.get("request_started")
        if started is None:  # the request failed before it started (a bad request)
            return response
        response.headers[REQUEST_ID_HEADER] = g.request_id
        user = g.get("_login_user")  # Flask-Login's user, if this request loaded one; never loaded for the log
        request_log.log(
            logging.DEBUG if request.endpoint in QUIET_ENDPOINTS else logging.INFO,
            "%s %s %s",
            request.method,
            request.url_rule.rule if request.url_rule else "-",
            response.status_code,
            extra={
                "user_id": str(user.id) if user is not None and user.is_authenticated else None,
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else None,
                "endpoint": request.endpoint,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


def log_unhandled(exc_info) -> None:
    """An error that became the 500 page: traceback and request id, not the path (it can hold tokens)."""
    log.error(
        "unhandled error in %s",
        request.endpoint if has_request_context() else "-",
        exc_info=exc_info,
        extra={"endpoint": request.endpoint if has_request_context() else None},
    )
