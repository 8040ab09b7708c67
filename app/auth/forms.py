"""Account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length

from app.consents import VOLUNTEER_CONSENTS, ConsentText
from app.forms import BaseForm, NewPasswordMixin, PhoneField, code_field, strip_whitespace
from app.models import ConsentPurpose


def email_field(label) -> EmailField:
    return EmailField(
        label,
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Please enter your e-mail address.")),
            Length(max=254),
            Email(_l("This is not a valid e-mail address.")),
        ],
    )


class RegistrationForm(NewPasswordMixin, BaseForm):
    full_name = StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Please enter your name.")),
            Length(max=120, message=_l("At most %(max)d characters.", max=120)),
        ],
        description=_l("First name and surname, as coordinators should address you."),
    )
    email = email_field(_l("E-mail address"))
    consent_matching = BooleanField(
        VOLUNTEER_CONSENTS[ConsentPurpose.MATCHING].text,
        validators=[InputRequired(_l("Without this consent we cannot propose activities to you."))],
    )
    consent_contact_lists = BooleanField(VOLUNTEER_CONSENTS[ConsentPurpose.CONTACT_LISTS].text)
    consent_email_contact = BooleanField(VOLUNTEER_CONSENTS[ConsentPurpose.EMAIL_CONTACT].text)
    submit = SubmitField(_l("Create account"))


class LoginForm(BaseForm):
    identifier = StringField(
        _l("E-mail, phone number or user name"),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Please enter your e-mail address, phone number or user name.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))])
    remember = BooleanField(_l("Stay logged in on this device"))
    submit = SubmitField(_l("Log in"))


class LoginCodeForm(BaseForm):
    code = code_field(_l("Code from your authenticator app, or a recovery code"))
    submit = SubmitField(_l("Log in"))


class ConfirmEmailForm(BaseForm):
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))])
    submit = SubmitField(_l("Confirm and log in"))


class PasswordResetRequestForm(BaseForm):
    email = email_field(_l("E-mail address"))
    submit = SubmitField(_l("Send link"))


class PasswordResetForm(NewPasswordMixin, BaseForm):
    submit = SubmitField(_l("Save new password"))


def consent_form(texts: dict[ConsentPurpose, ConsentText]) -> type[BaseForm]:
    """A form with one checkbox per consent purpose, labelled with its current text."""
    fields = {f"consent_{purpose}": BooleanField(text.text) for purpose, text in texts.items()}
    return type("ConsentForm", (BaseForm,), {**fields, "submit": SubmitField(_l("Save consents"))})


def phone_field() -> PhoneField:
    return PhoneField(
        _l("Phone number"),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Please enter your phone number.")), Length(max=30)],
    )


class SmsCodeRequestForm(BaseForm):
    phone = phone_field()
    submit = SubmitField(_l("Send code"))


class SmsCodeResetForm(NewPasswordMixin, BaseForm):
    phone = phone_field()
    code = StringField(
        _l("Code from the SMS"),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Please enter the code from the SMS.")), Length(max=20)],
    )
    submit = SubmitField(_l("Save new password"))
