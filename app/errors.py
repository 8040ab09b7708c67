"""Error pages in the user's language, and the domain errors that services raise."""

from typing import ClassVar

from flask import Flask, render_template
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.observability import request_id


class DomainError(Exception):
    """A change the rules refuse, carrying the message its user is shown.

    Every kind of failure is a subclass with its own ``message``, lazily
    translated so that it renders in the language of whoever reads it; a
    subclass without one is refused when it is defined. ``abstract=True``
    marks a class that only groups kinds (``AgreementError``): it cannot be
    raised itself.
    """

    message: ClassVar[LazyString]
    abstract: ClassVar[bool] = True

    def __init_subclass__(cls, abstract: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.abstract = abstract
        if not abstract and not isinstance(getattr(cls, "message", None), LazyString):
            raise TypeError(f"{cls.__qualname__} needs a message written with lazy_gettext")

    def __init__(self) -> None:
        if type(self).abstract:
            raise TypeError(f"{type(self).__qualname__} only groups errors; raise one of its kinds")
        super().__init__()

    def __str__(self) -> str:
        return str(self.message)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        403: (_("Access denied"), _("You do not have permission to see this page.")),
        404: (_("Page not found"), _("This page does not exist. Perhaps the link is old or mistyped.")),
        405: (_("Not allowed"), _("This page cannot be used like that.")),
        413: (_("Too much data"), _("What you sent is too large. Please shorten long texts and try again.")),
        429: (_("Too many attempts"), _("Too many attempts in a short time. Please wait a few minutes and try again.")),
        500: (_("Something went wrong"), _("An unexpected error occurred. Nothing was saved. Please try again later.")),
        503: (_("Not available"), _("The service is not available at the moment. Please try again later.")),
    }


def render_error(code: int, message: str | None = None):
    messages = _messages()
    title, default_message = messages.get(code, messages[500])
    # The request id ties what the user reports to the log's traceback.
    reference = request_id() if code >= 500 else None
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default_message, reference=reference
    ), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "The form could not be sent safely: it has expired or was sent twice. "
                "Please reload the page and try again."
            ),
        )

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        # A view that does not catch a refusal still answers with its message, not a 500.
        db.session.rollback()
        return render_error(400, str(error))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Unhandled exceptions arrive here as a 500 (outside testing, where they propagate).
        if (error.code or 500) >= 500:
            db.session.rollback()
        return render_error(error.code or 500)
