"""Appointments: requests, candidates and offers, answers by page or signed link, reports, approval, payouts."""

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import policies
from app.access import coordinator_required, policy_required, role_required, volunteer_required
from app.appointments import services
from app.appointments.forms import (
    COMMON_LANGUAGES,
    AssignForm,
    MoveForm,
    OfferForm,
    PayoutForm,
    RatesForm,
    ReportForm,
    RequestForm,
)
from app.appointments.payouts import payout_file
from app.extensions import db
from app.forms import ButtonForm, options
from app.languages import language_names
from app.models import (
    Appointment,
    AppointmentOffer,
    Gender,
    Organisation,
    RefugeeProfile,
    RefugeeStatus,
    Role,
    User,
    VolunteerProfile,
)
from app.reference_data import all_categories, all_localities

bp = Blueprint("appointments", __name__)

# Coordination, and the people an appointment concerns (the rules of app/policies.py decide which one).
involved_roles = role_required(Role.COORDINATOR, Role.ADMIN, Role.VOLUNTEER, Role.REFUGEE)


def _user():
    return current_user._get_current_object()


def _appointment(appointment_id: int, action: str = "view", options=()) -> Appointment:
    """The appointment (loaded with ``options``) if the user may ``action`` it; outside a coordinator's scope
    it does not exist (404)."""
    appointment = db.get_or_404(Appointment, appointment_id, options=options)
    if policies.can(current_user, "view", appointment) and policies.can(current_user, action, appointment):
        return appointment
    abort(404 if current_user.is_coordinator or not policies.can(current_user, "view", appointment) else 403)


def _back(appointment: Appointment):
    return redirect(url_for("appointments.detail", appointment_id=appointment.id))


def _run(appointment: Appointment, action, success: str):
    try:
        action()
    except services.AppointmentError as error:
        flash(str(error), "error")
    else:
        flash(success, "success")
    return _back(appointment)


# --- asking ---------------------------------------------------------------------------------


def _requestable() -> list[RefugeeProfile]:
    """For whom the user may ask: themselves (a refugee), their sponsored families, or anyone in scope."""
    user = _user()
    if user.role == Role.REFUGEE:
        return [user.refugee_profile] if user.refugee_profile else []
    if policies.is_staff(user):
        return list(
            db.session.scalars(
                db.select(RefugeeProfile)
                .join(RefugeeProfile.user)
                .where(policies.refugees_in_scope(user), RefugeeProfile.status == RefugeeStatus.ACTIVE)
                .order_by(User.full_name)
            )
        )
    return policies.sponsored_refugees(user)


def _request_form(refugees: list[RefugeeProfile]) -> RequestForm:
    form = RequestForm()
    locale = str(get_locale())
    form.kind.choices = options((c.key, c.label(locale)) for c in services.bookable_categories())
    form.place.choices = options((place.id, place.label(locale)) for place in all_localities())
    names = language_names(locale)
    codes = [*COMMON_LANGUAGES, "de", *(code for code in names if code not in COMMON_LANGUAGES and code != "de")]
    form.languages.choices = options((code, names.get(code, code)) for code in codes)
    form.refugee.choices = options((r.id, r.user.full_name) for r in refugees)
    if request.method == "GET" and refugees:
        profile = refugees[0]
        form.place.data = form.place.data or profile.locality_id
        form.languages.data = form.languages.data or [row.code for row in profile.languages][:2]
        form.gender.data = str(profile.preferred_mentor_gender or "") if profile.preferred_mentor_gender else ""
    return form


@bp.route("/new", methods=["GET", "POST"])
@involved_roles
def new():
    refugees = _requestable()
    if not refugees:  # a volunteer who sponsors nobody (yet), a refugee record not made yet
        return render_template("appointments/nobody_to_ask_for.html")
    form = _request_form(refugees)
    short = current_user.role == Role.REFUGEE
    if form.validate_on_submit():
        chosen = next((r for r in refugees if str(r.id) == (form.refugee.data or str(refugees[0].id))), None)
        if chosen is None or not policies.can(current_user, "request_appointment", chosen):
            abort(404)
        data = services.RequestData(
            category_key=form.kind.data,
            day=form.day.data,
            at=form.at.data,
            minutes=form.minutes.data,
            locality_id=form.place.data,
            languages=tuple(form.languages.data),
            address=form.address.data or "",
            meeting_point=form.meeting_point.data or "",
            gender_preference=Gender(form.gender.data) if form.gender.data else None,
            children=form.children.data,
            notes=form.notes.data or "",
            special_notes="" if short else form.special_notes.data or "",
        )
        try:
            appointment = services.request_appointment(chosen, data, _user())
        except services.AppointmentError as error:
            flash(str(error), "error")
        else:
            flash(
                _("Thank you. The coordination office will look at your request.")
                if short
                else _("The request is saved."),
                "success",
            )
            return _back(appointment)
    template = "appointments/request_short.html" if short else "appointments/request.html"
    return render_template(template, form=form, refugees=refugees)


# --- the overview and the own lists ---------------------------------------------------------


@bp.route("/")
@coordinator_required
def index():
    within = policies.appointments_in_scope(_user())
    waiting = services.waiting(within)
    return render_template(
        "appointments/index.html",
        waiting=waiting,
        urgent={a.id for a in waiting if services.is_urgent(a)},
        months=services.monthly_counts(within),
        nobody=services.found_nobody(within),
        places={place.id: place for place in all_localities()},
        categories={category.key: category for category in all_categories()},
    )


@bp.route("/mine")
@policy_required("own_appointments")
def mine():
    user = _user()
    if user.role == Role.REFUGEE:
        requests = services.requests_of(user.refugee_profile) if user.refugee_profile else []
        return render_template("appointments/mine_refugee.html", appointments=requests)
    profile = user.volunteer_profile
    if profile is None:
        abort(404)
    booked = services.own_appointments(profile)
    return render_template(
        "appointments/mine_volunteer.html",
        offers=services.open_offers(profile),
        booked=booked,
        hours=sum(a.minutes_spent or 0 for a in booked) / 60,
        allowance_cents=sum(a.allowance_cents or 0 for a in booked),
        button=ButtonForm(),
    )


# --- one appointment ------------------------------------------------------------------------


@bp.route("/<int:appointment_id>")
@involved_roles
def detail(appointment_id: int):
    appointment = _appointment(appointment_id, options=services.WITH_THOSE_ASKED)
    user = _user()
    suggestions = []
    if policies.can(user, "offer", appointment):
        suggestions = services.candidates(appointment, policies.volunteers_in_scope(user))
    own_offer = next(
        (o for o in appointment.offers if user.volunteer_profile and o.volunteer_id == user.volunteer_profile.id),
        None,
    )
    move_form = MoveForm(prefix="move")
    if appointment.status != "cancelled":
        local = appointment.starts_at.astimezone(services.BERLIN)
        move_form.day.data, move_form.at.data = local.date(), local.time()
        move_form.minutes.data = appointment.minutes
    return render_template(
        "appointments/detail.html",
        appointment=appointment,
        actions=policies.allowed_actions(user, appointment),
        party=policies.appointment_party(appointment, user),
        suggestions=suggestions,
        own_offer=own_offer,
        offer_form=OfferForm(),
        move_form=move_form,
        report_form=ReportForm(),
        button=ButtonForm(),
        rates=services.rates_for(appointment.organisation_id, appointment.category_key),
    )


@bp.route("/<int:appointment_id>/review", methods=["POST"])
@coordinator_required
def review(appointment_id: int):
    appointment = _appointment(appointment_id, "coordinate")
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _run(appointment, lambda: services.review(appointment, _user()), _("The request is open for offers."))


@bp.route("/<int:appointment_id>/offer", methods=["POST"])
@coordinator_required
def offer(appointment_id: int):
    appointment = _appointment(appointment_id, "coordinate")
    form = OfferForm()
    if not form.validate_on_submit() or not form.volunteers.data:
        flash(_("Please choose at least one volunteer."), "error")
        return _back(appointment)
    return _run(
        appointment,
        lambda: services.offer(appointment, form.volunteers.data, form.in_order.data, _user()),
        _("The offer has been sent."),
    )


@bp.route("/<int:appointment_id>/assign", methods=["POST"])
@coordinator_required
def assign(appointment_id: int):
    appointment = _appointment(appointment_id, "offer")
    form = AssignForm()
    volunteer = db.session.get(VolunteerProfile, form.volunteer.data) if form.validate_on_submit() else None
    if volunteer is None or not policies.can(current_user, "view", volunteer):
        abort(404)
    return _run(appointment, lambda: services.assign(appointment, volunteer, _user()), _("The volunteer is booked."))


@bp.route("/<int:appointment_id>/cancel", methods=["POST"])
@involved_roles
def cancel(appointment_id: int):
    appointment = _appointment(appointment_id, "cancel")
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _run(appointment, lambda: services.cancel(appointment, _user()), _("The appointment is cancelled."))


@bp.route("/<int:appointment_id>/move", methods=["POST"])
@involved_roles
def move(appointment_id: int):
    appointment = _appointment(appointment_id, "move")
    form = MoveForm(prefix="move")
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back(appointment)
    return _run(
        appointment,
        lambda: services.move(appointment, form.day.data, form.at.data, form.minutes.data, _user()),
        _("The appointment has been moved; everyone involved is told."),
    )


@bp.route("/<int:appointment_id>/report", methods=["POST"])
@volunteer_required
def report(appointment_id: int):
    appointment = _appointment(appointment_id, "report")
    form = ReportForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return _back(appointment)
    return _run(
        appointment,
        lambda: services.report(appointment, form.took_place.data == "yes", form.minutes.data, form.km.data, _user()),
        _("Thank you! Coordination will approve it."),
    )


@bp.route("/<int:appointment_id>/approve", methods=["POST"])
@coordinator_required
def approve(appointment_id: int):
    appointment = _appointment(appointment_id, "approve")
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _run(appointment, lambda: services.approve(appointment, _user()), _("The report is approved."))


# --- answering an offer ---------------------------------------------------------------------


def _answer(offer: AppointmentOffer, answer: str, actor=None) -> bool:
    """Accept or decline; False (and the reason flashed) when the rules refuse."""
    try:
        if answer == "accept":
            services.accept(offer, actor)
            flash(_("Thank you! The appointment is yours; both sides get the confirmation."), "success")
        else:
            services.decline(offer, actor)
            flash(_("Thank you for your answer."), "success")
    except services.AppointmentError as error:
        flash(str(error), "error")
        return False
    return True


@bp.route("/offers/<int:offer_id>/<any(accept, decline):answer>", methods=["POST"])
@volunteer_required
def answer_offer(offer_id: int, answer: str):
    offer = db.get_or_404(AppointmentOffer, offer_id)
    profile = current_user.volunteer_profile
    if profile is None or offer.volunteer_id != profile.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    _answer(offer, answer, _user())
    return _back(offer.appointment)


@bp.route("/answer/<token>", methods=["GET", "POST"])
def answer(token: str):
    """The signed link of an offer's message: the offer and two buttons, also without logging in."""
    offer = services.offer_from_token(token)
    if offer is None:
        abort(404)
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        choice = request.form.get("answer")
        if choice not in ("accept", "decline"):
            abort(400)
        _answer(offer, choice)
        return redirect(url_for("appointments.answer", token=token))
    return render_template("appointments/answer.html", offer=offer, appointment=offer.appointment, button=form)


@bp.route("/calendar/<token>.ics")
def calendar(token: str):
    """The appointment as a calendar entry: kind, time, place and meeting point; the signed token is the key."""
    appointment = services.appointment_from_calendar_token(token)
    if appointment is None or appointment.status == "cancelled":
        abort(404)
    return Response(
        services.calendar_entry(appointment, str(get_locale())),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="appointment-{appointment.id}.ics"'},
    )


# --- money ----------------------------------------------------------------------------------


def _payable_organisations() -> list[Organisation]:
    """Admins see every organisation's list, coordinators their own organisations'."""
    user = _user()
    if policies.is_admin(user):
        return list(db.session.scalars(db.select(Organisation).order_by(Organisation.name)))
    return [m.organisation for m in policies.active_memberships(user)]


def _last_month() -> str:
    return (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


@bp.route("/payouts")
@coordinator_required
def payouts():
    organisations = _payable_organisations()
    form = PayoutForm(request.args)
    form.organisation.choices = options((o.id, o.name) for o in organisations)
    month = form.month.data or date.today().strftime("%Y-%m")
    chosen = next((o for o in organisations if str(o.id) == form.organisation.data), None)
    chosen = chosen or (organisations[0] if organisations else None)
    try:
        services.month_bounds(month)
    except ValueError:
        flash(_("Please enter the month as YYYY-MM, e.g. %(month)s.", month=_last_month()), "error")
        month = date.today().strftime("%Y-%m")
    rows = services.payout(chosen.id, month, policies.appointments_in_scope(_user())) if chosen else []
    form.month.data, form.organisation.data = month, str(chosen.id) if chosen else None
    return render_template("appointments/payouts.html", form=form, rows=rows, organisation=chosen, month=month)


@bp.route("/payouts/<int:organisation_id>/<month>.<any(csv, xlsx):fmt>")
@coordinator_required
def payout_export(organisation_id: int, month: str, fmt: str):
    organisation = next((o for o in _payable_organisations() if o.id == organisation_id), None)
    if organisation is None:
        abort(404)
    try:
        services.month_bounds(month)
    except ValueError:
        abort(404)
    rows = services.payout(organisation.id, month, policies.appointments_in_scope(_user()))
    services.record_payout_export(organisation, month, fmt, rows, _user())
    content, mimetype = payout_file(organisation, month, rows, fmt)
    return Response(
        content,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="payout-{organisation.id}-{month}.{fmt}"'},
    )


@bp.route("/rates", methods=["GET", "POST"])
@coordinator_required
def rates():
    """An organisation's allowances: everyone in coordination sees them, its admins change them."""
    organisations = _payable_organisations()
    organisation = next((o for o in organisations if str(o.id) == request.args.get("organisation")), None)
    organisation = organisation or (organisations[0] if organisations else None)
    form = RatesForm()
    locale = str(get_locale())
    categories = services.bookable_categories()
    form.kind.choices = options((c.key, c.label(locale)) for c in categories)
    may_change = organisation is not None and policies.can(current_user, "set_rates", organisation)
    if may_change and form.validate_on_submit():
        new = services.Rates(int(form.per_assignment.data * 100), int(form.per_km.data * 100))
        services.set_rates(organisation, form.kind.data, new, _user())
        flash(_("The allowance is saved. Appointments approved before keep their amount."), "success")
        return redirect(url_for("appointments.rates", organisation=organisation.id))
    current = {c.key: services.rates_for(organisation.id if organisation else None, c.key) for c in categories}
    return render_template(
        "appointments/rates.html",
        form=form,
        organisation=organisation,
        organisations=organisations,
        categories=categories,
        current=current,
        may_change=may_change,
    )
