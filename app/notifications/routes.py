"""The inbox: what waits for the signed-in person, marking it read, and how they want to be told."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.forms import ButtonForm
from app.navigation import safe_next_url
from app.notifications import services
from app.notifications.forms import ChannelsForm

bp = Blueprint("notifications", __name__)


@bp.route("/")
@login_required
def inbox():
    entries = services.inbox(current_user)
    return render_template(
        "notifications/inbox.html",
        entries=[(entry, services.text_of(entry), services.link_of(entry)) for entry in entries],
        form=ButtonForm(),
    )


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one entry read, then open what it is about (or go back to the inbox)."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        entry = services.mark_read(current_user, notification_id)
    except services.NotYours:
        abort(404)
    return redirect(safe_next_url(services.link_of(entry)) or url_for("notifications.inbox"))


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    return redirect(url_for("notifications.inbox"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    user = current_user._get_current_object()
    choice = services.choice_of(user)
    form = ChannelsForm(data=choice.__dict__) if request.method == "GET" else ChannelsForm()
    if form.validate_on_submit():
        # A channel the person has no address for is not shown; its choice stays as it was.
        by_email = form.by_email.data if user.email else choice.by_email
        by_sms = form.by_sms.data if user.phone else choice.by_sms
        services.save_choice(user, by_email, by_sms, form.quiet_from.data, form.quiet_until.data)
        flash(_("Saved."), "success")
        return redirect(url_for("notifications.inbox"))
    return render_template("notifications/settings.html", form=form, user=user)
