"""The mechanism of the volunteer questionnaire and the refugee registration.

Each feature package declares its steps once (a ``Questionnaire`` of ``Step``s, in its ``steps.py``);
``answer_step`` serves any step of either: it shows the step with the saved answers, adds a row,
saves and moves on, and keeps the steps in order.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from app.forms import BaseForm, options
from app.interests import INTEREST_KEYS, interest_label
from app.languages import language_label, language_names
from app.profiles import finish_step
from app.reference_data import active_categories, all_localities


class Profile(Protocol):
    """A volunteer's or a refugee's profile: what a questionnaire fills in."""

    steps_done: int


@dataclass(frozen=True)
class Step:
    """One page of a questionnaire: everything that differs from one step to another."""

    title: str
    form_class: type[BaseForm]
    template: str
    # A symbol of static/icons.svg, beside the title: people who read little find their step by it.
    icon: str
    # The saved answers in the shape of the form.
    load: Callable[[Any], dict]
    # Writes the validated form's answers to the profile; ``answer_step`` then records the step and commits.
    save: Callable[[Any, BaseForm], None]
    # Field name → its options, read from the database each time the form is built.
    choices: Mapping[str, Callable[[], list[SelectChoice]]] = field(default_factory=dict)
    # The FieldList that the form's ``add_row`` button extends by one empty row (nothing is saved).
    rows: str | None = None
    # Fields whose stored default (0) is a valid answer: empty until the step is answered, so that
    # nobody confirms a value they never chose.
    blank_until_answered: tuple[str, ...] = ()

    def form(self, profile: Profile, answered: bool) -> BaseForm:
        """The form filled from the request on POST, from the saved answers otherwise."""
        if request.method == "POST":
            form = self.form_class()
        else:
            data = self.load(profile)
            if not answered:
                data.update(dict.fromkeys(self.blank_until_answered))
            form = self.form_class(data=data)
        for name, choices in self.choices.items():
            form[name].choices = choices()
        return form


class Questionnaire:
    """Steps numbered from 1, answered in order; answering the last one completes the profile."""

    def __init__(self, *steps: Step):
        self.steps = dict(enumerate(steps, start=1))


def step_to_show(requested: int, steps_done: int) -> int:
    """Steps are answered in order: a later step than the next open one shows the next open one."""
    return min(requested, steps_done + 1)


def answer_step(
    questionnaire: Questionnaire, number: int, profile_of: Callable[[], Profile], done_url: str
) -> Response | str:
    """The view of step ``number``, for the route it is called from.

    The route has a ``step`` argument; links to other steps keep its other arguments. After the
    last step, or after changing one step's answers (``?edit=1``), the person goes to ``done_url``.
    """
    steps = questionnaire.steps
    if number not in steps:
        abort(404)
    step, profile = steps[number], profile_of()

    def step_url(other: int) -> str:
        return url_for(request.endpoint, **{**request.view_args, "step": other})

    if step_to_show(number, profile.steps_done) != number:
        return redirect(step_url(step_to_show(number, profile.steps_done)))
    form = step.form(profile, answered=number <= profile.steps_done)
    if step.rows and form.add_row.data:
        form[step.rows].append_entry()
    elif form.validate_on_submit():
        step.save(profile, form)
        finish_step(profile, number, len(steps))
        if number == len(steps) or request.args.get("edit"):
            flash(_("Thank you! Your answers are saved."), "success")
            return redirect(done_url)
        return redirect(step_url(number + 1))
    return render_template(
        step.template,
        form=form,
        step=number,
        steps=steps,
        steps_done=profile.steps_done,
        step_url=step_url,
        profile=profile,
        language_options=language_names(str(get_locale())),
    )


def place_choices() -> list[SelectChoice]:
    return options([("", _("Please choose"))] + [(loc.id, loc.label(str(get_locale()))) for loc in all_localities()])


def activity_choices() -> list[SelectChoice]:
    locale = str(get_locale())
    return options((c.key, c.label(locale)) for c in active_categories())


def interest_choices() -> list[SelectChoice]:
    return options((key, interest_label(key)) for key in INTEREST_KEYS)


def saved_languages(profile) -> dict:
    """The saved language rows as a languages step's form data, plus an empty row to add one more."""
    locale = str(get_locale())
    rows = [{"language": language_label(row.code, locale), "level": row.level} for row in profile.languages]
    return {"languages": [*rows, {"language": "", "level": ""}]}
