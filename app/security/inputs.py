"""The one input layer: control characters never get past the request.

Every query argument, form value and path of a request passes here before a
view sees it:

- NUL and the other C0 control characters (tab, line feed and carriage return
  excepted) cannot be typed, break PostgreSQL (NUL) and Excel files (the rest),
  so the request is refused with a message, and nothing is saved;
- bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) are
  invisible and let a name show as something else, so they are removed: the
  visible text stays as typed.

Pages show names ``| isolate``d (app/formatting.py): in a ``<bdi>``, so that
an Arabic name does not reorder the text around it in a list.
"""

import re

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

# C0 controls but tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Arabic letter mark, left-to-right and right-to-left marks, embeddings, overrides and isolates.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


class ControlCharacters(ValueError):
    """The request holds a control character that no one can type."""


def cleaned(values: MultiDict) -> ImmutableMultiDict:
    """``values`` without bidirectional controls; raises ControlCharacters for NUL and its kin."""
    result = []
    for key, items in values.lists():
        for item in [key, *items]:
            if has_control_characters(item):
                raise ControlCharacters(key)
        result.extend((strip_bidi_controls(key), strip_bidi_controls(item)) for item in items)
    return ImmutableMultiDict(result)


def register(app: Flask) -> None:
    @app.before_request
    def clean_input():
        try:
            if has_control_characters(request.path):
                raise ControlCharacters("path")
            request.args = cleaned(request.args)
            if request.method not in ("GET", "HEAD", "OPTIONS"):
                request.form = cleaned(request.form)
        except ControlCharacters:
            from app.errors import render_error

            return render_error(
                400,
                _(
                    "Your text contains an invisible control character (such as a null byte) that cannot be saved. "
                    "Nothing was saved. Please type the text again and send it."
                ),
            )
        return None
