"""The step declarations of both questionnaires name only what their forms have.

WTForms ignores data for fields a form lacks, so a misspelt key in a loader or in ``choices``
would leave a field silently empty; these checks make such a slip fail.
"""

import re
from pathlib import Path

import pytest
from flask import render_template
from wtforms import FieldList

from app.intake.steps import REGISTRATION
from app.models import RefugeeProfile, VolunteerProfile
from app.questionnaire import step_to_show
from app.volunteers.steps import QUESTIONNAIRE

QUESTIONNAIRES = {VolunteerProfile: QUESTIONNAIRE, RefugeeProfile: REGISTRATION}
STEPS = [
    *((VolunteerProfile, number, step) for number, step in QUESTIONNAIRE.steps.items()),
    *((RefugeeProfile, number, step) for number, step in REGISTRATION.steps.items()),
]


@pytest.mark.parametrize(("profile_class", "number", "step"), STEPS, ids=[f"{p.__name__}-{n}" for p, n, _ in STEPS])
def test_a_step_declares_only_fields_of_its_form(app, profile_class, number, step):
    with app.test_request_context():
        form = step.form_class(meta={"csrf": False})
        fields = set(form._fields)
        assert set(step.load(profile_class(steps_done=0))) <= fields
        assert set(step.choices) | set(step.blank_until_answered) <= fields
        if step.rows is not None:
            assert isinstance(form[step.rows], FieldList) and "add_row" in fields
        else:
            assert "add_row" not in fields
    assert app.jinja_env.get_template(step.template)


@pytest.mark.parametrize(("profile_class", "number", "step"), STEPS, ids=[f"{p.__name__}-{n}" for p, n, _ in STEPS])
def test_a_step_icon_is_a_served_symbol(app, profile_class, number, step):
    icons = (Path(app.static_folder) / "icons.svg").read_text(encoding="utf-8")
    assert f'<symbol id="icon-{step.icon}"' in icons


@pytest.mark.parametrize(("requested", "steps_done", "shown"), [(1, 0, 1), (3, 0, 1), (3, 2, 3), (2, 4, 2), (5, 4, 5)])
def test_steps_are_answered_in_order(requested, steps_done, shown):
    assert step_to_show(requested, steps_done) == shown


@pytest.mark.parametrize(("profile_class", "number", "step"), STEPS, ids=[f"{p.__name__}-{n}" for p, n, _ in STEPS])
def test_enter_in_a_field_saves_and_continues(app, profile_class, number, step):
    """Enter (a phone's "Go") submits with the form's first submit button: on every step "Save and continue"."""
    with app.test_request_context():
        profile = profile_class(steps_done=0)
        page = render_template(
            step.template,
            form=step.form(profile, answered=False),
            step=number,
            steps=QUESTIONNAIRES[profile_class].steps,
            steps_done=0,
            step_url=lambda other: f"/step/{other}",
            profile=profile,
            language_options={"ar": "Arabic"},
        )
    form = page.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    buttons = re.findall(r"<button\b[^>]*>", form)
    assert 'type="submit"' in buttons[0] and 'name="submit"' in buttons[0]
    assert (step.rows is not None) == any('name="add_row"' in button for button in buttons)
