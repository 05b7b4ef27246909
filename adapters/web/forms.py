"""The web forms (WTForms through Flask-WTF, so every POST carries a CSRF token).

Forms check shape here; the trust's own rules are checked by the domain, whose
one-sentence errors are shown beside the form. Forms built from the catalogue
(profile questions, purposes) are made per request, since the catalogue and the
organisations belong to the trust, not to the code."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
    widgets,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, Regexp

from adapters.web.pages import services
from domain.kernel.catalogue import PREFER_NOT_TO_SAY, THE_TRUST, Catalogue, Purpose
from domain.kernel.errors import TrustError
from domain.kernel.references import REFERENCE
from projections.core.wording import LOCAL

NOT_ANSWERED = ""
REFERENCE_MESSAGE = "Use up to 40 letters, digits and - _ . / (e.g. PF-1042), never names or notes."
AXES = [
    ("recorded", "What the system enforced at the time (recorded)"),
    ("effective", "What was true in the world, as we know now (effective)"),
]
ROLES = [("caseworker", "Caseworker"), ("trustee", "Trustee")]


class Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs) -> list[SelectChoice]:  # type: ignore[no-untyped-def]
    return [SelectChoice(value, label) for value, label in pairs]


def reference_field(label: str, required: bool = True, description: str = "") -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired("Enter the form's reference.") if required else Optional(),
            Regexp(REFERENCE.pattern, message=REFERENCE_MESSAGE),
        ],
        description=description,
    )


def not_in_future(form, field) -> None:  # type: ignore[no-untyped-def]
    if field.data and field.data > services().clock().astimezone(LOCAL).date():
        raise ValidationError("The date cannot be in the future.")


def not_before_1900(form, field) -> None:  # type: ignore[no-untyped-def]
    if field.data and field.data.year < 1900:
        raise ValidationError("Enter a date after 1900.")


SIGNED_ON = [DataRequired("Enter the date the form was signed."), not_in_future, not_before_1900]


class SignInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Enter your username."), Length(max=40)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=256)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired("Choose a password."), Length(min=12, max=256, message="Use 12 to 256 characters.")],
        description="At least 12 characters. A short phrase you will remember works well.",
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[DataRequired("Type the password again."), EqualTo("password", "The two passwords differ.")],
    )


def profile_fields(catalogue: Catalogue) -> dict:
    fields: dict = {}
    for code, question in catalogue.profile.items():
        if question.pattern:
            fields[f"profile_{code}"] = StringField(
                question.question, validators=[Optional(), Length(max=20)], description="Leave blank if not given."
            )
            fields[f"profile_{code}_declined"] = BooleanField("The member prefers not to say")
        else:
            choices = [(NOT_ANSWERED, "Not answered")] + [(c, c) for c in question.choices]
            choices.append((PREFER_NOT_TO_SAY, "Prefers not to say"))
            fields[f"profile_{code}"] = SelectField(question.question, choices=options(choices), default=NOT_ANSWERED)
    return fields


def profile_answers(form, catalogue: Catalogue) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The answers given, checked against the catalogue (errors go beside the field)."""
    answers: dict[str, str] = {}
    for code in catalogue.profile:
        field = form[f"profile_{code}"]
        declined = form._fields.get(f"profile_{code}_declined")
        answer = PREFER_NOT_TO_SAY if declined is not None and declined.data else (field.data or "").strip()
        if not answer:
            continue
        try:
            answers[code] = catalogue.profile[code].clean(answer)
        except TrustError as error:
            field.errors = [*field.errors, str(error)]
    return answers


def audience_choices(catalogue: Catalogue, organisations: list[dict], purpose: Purpose) -> list[tuple[str, str]]:
    """Who may see it, as the purpose's latest notice allows: the kinds it names (its
    own kind first, the default) and the named organisations of those kinds. Nothing
    wider is offered, so leaving the list alone never gives more than the member was told."""
    covered = purpose.covered_kinds(purpose.latest_notice)
    own = purpose.own_kind()
    ordered = sorted(covered, key=lambda kind: kind != own)
    kinds = [(f"kind:{k}", audience_words(catalogue, k)) for k in ordered]
    named = [
        (f"org:{o['organisation_id']}", f"{o['name']} only ({o['status']})")
        for o in organisations
        if o["status"] != "suspended" and o["kind"] in covered
    ]
    return kinds + named


def audience_words(catalogue: Catalogue, kind: str) -> str:
    if kind == THE_TRUST:
        return "The trust itself, for anonymised comparisons only (no organisation)"
    return f"Every approved {catalogue.kind_label(kind).lower()}"


def own_audience(purpose: Purpose) -> str | None:
    """The audience a purpose's choice starts at: every approved organisation of its own kind."""
    own = purpose.own_kind()
    return f"kind:{own}" if own else None


def consent_fields(catalogue: Catalogue, organisations: list[dict]) -> dict:
    fields: dict = {}
    categories = list(catalogue.categories.items())
    for code, purpose in catalogue.purposes.items():
        fields[f"consent_{code}"] = BooleanField(f"Ticked: {purpose.title}", description=purpose.summary)
        # Checked only when the purpose is ticked (see ticked_consents).
        fields[f"audience_{code}"] = SelectField(
            "Who may see it",
            choices=options(audience_choices(catalogue, organisations, purpose)),
            validate_choice=False,
        )
        fields[f"categories_{code}"] = Checkboxes("Which data", choices=options(categories))
    return fields


def ticked_consents(form, catalogue: Catalogue) -> list[dict]:  # type: ignore[no-untyped-def]
    ticked = []
    for code in catalogue.purposes:
        if not form[f"consent_{code}"].data:
            continue
        chosen = form[f"categories_{code}"].data or []
        audience = form[f"audience_{code}"]
        if audience.data not in {choice.value for choice in audience.choices}:
            audience.errors = ["Choose who may see it, from the list."]
            continue
        if not chosen:
            form[f"categories_{code}"].errors = ["Tick at least one kind of data the member agreed to share."]
            continue
        ticked.append({"purpose": code, "audience": form[f"audience_{code}"].data, "categories": chosen})
    return ticked


def member_form(catalogue: Catalogue, organisations: list[dict]) -> FlaskForm:
    class RegisterMemberForm(FlaskForm):
        name = StringField(
            "Name or nickname",
            validators=[DataRequired("Enter the member's name or nickname."), Length(max=200)],
            description="As the member wrote it.",
        )
        contact = StringField(
            "How to reach them (optional)",
            validators=[Optional(), Length(max=200)],
            description="A phone number, email or postal address, as the member gave it.",
        )
        signed_on = DateField("Date the form was signed", validators=SIGNED_ON)
        form_ref = reference_field("Paper form reference", description="The number printed on the form, e.g. PF-1042.")

    for name, field in {**profile_fields(catalogue), **consent_fields(catalogue, organisations)}.items():
        setattr(RegisterMemberForm, name, field)
    form = RegisterMemberForm()
    if not form.is_submitted():  # shown blank: each purpose starts at its own kind (a sent form must say)
        for code, purpose in catalogue.purposes.items():
            form[f"audience_{code}"].data = own_audience(purpose)
    return form


def profile_form(catalogue: Catalogue) -> FlaskForm:
    class ProfileChangeForm(FlaskForm):
        signed_on = DateField("Date the request was signed", validators=SIGNED_ON)
        form_ref = reference_field("Request reference", required=False)

    for name, field in profile_fields(catalogue).items():
        setattr(ProfileChangeForm, name, field)
    return ProfileChangeForm()


class WithdrawalForm(FlaskForm):
    consent = RadioField("Which consent is withdrawn", validators=[InputRequired("Choose the consent.")])
    signed_on = DateField("Date the withdrawal was signed", validators=SIGNED_ON)
    signed_time = TimeField(
        "Time it was signed (optional)",
        validators=[Optional()],
        description="If the member wrote a time. Otherwise the start of that day is used.",
    )
    form_ref = reference_field("Withdrawal form reference")


class TermsOnPaperForm(FlaskForm):
    signed_on = DateField("Date the form was signed", validators=SIGNED_ON)
    form_ref = reference_field("Signed form's reference", description="The number printed on the form, e.g. PF-1042.")


class ConfirmInPersonForm(FlaskForm):
    seen = BooleanField(
        "I have met this member in person and they confirm they want to join, with the choices on their form",
        validators=[DataRequired("Tick the box to confirm you met the member in person.")],
    )


class HouseholdForm(FlaskForm):
    housemate = StringField(
        "The reference code of a member they live with",
        validators=[Optional(), Length(max=40)],
        description="It is on the other member's page, e.g. KQ7M-2XPD. A panel then takes at most one of them.",
    )
    alone = BooleanField("They live with no other member of the trust")

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        if not super().validate(extra_validators):
            return False
        if bool((self.housemate.data or "").strip()) == bool(self.alone.data):
            self.housemate.errors.append("Give the code of a member they live with, or tick that they live with none.")
            return False
        return True


def consent_form(catalogue: Catalogue, organisations: list[dict], purpose: str | None) -> FlaskForm:
    """The later-consent form: who may see it is grouped by purpose (only what each
    notice covers) and starts at the chosen purpose's own kind; the trust refuses a
    pairing its notice does not cover."""
    chosen = catalogue.purposes.get(purpose or "") or next(iter(catalogue.purposes.values()))

    class AddConsentForm(FlaskForm):
        purpose = SelectField("Purpose", choices=options((c, p.title) for c, p in catalogue.purposes.items()))
        audience = SelectField(
            "Who may see it",
            choices=[
                SelectChoice(value, label, optgroup=p.title)
                for p in catalogue.purposes.values()
                for value, label in audience_choices(catalogue, organisations, p)
            ],
        )
        categories = Checkboxes(
            "Which data",
            choices=options(catalogue.categories.items()),
            validators=[DataRequired("Tick at least one kind of data.")],
        )
        signed_on = DateField("Date the form was signed", validators=SIGNED_ON)
        form_ref = reference_field("Consent form reference")

    form = AddConsentForm()
    if not form.is_submitted():  # shown blank: the purpose (from ?purpose=) and its own kind
        form.purpose.data, form.audience.data = chosen.code, own_audience(chosen)
    return form


# Trustees


def organisation_form(catalogue: Catalogue) -> FlaskForm:
    class RegisterOrganisationForm(FlaskForm):
        name = StringField("Organisation name", validators=[DataRequired("Enter the name."), Length(max=200)])
        kind = SelectField("Kind", choices=options(catalogue.organisation_kinds.items()))
        org_id = StringField(
            "Identifier (optional)",
            validators=[Optional(), Length(max=120)],
            description="Its register and number in an org-id.guide scheme, e.g. GB-CHC-1123456 (a charity) "
            "or GB-COH-09876543 (a company), so its records join up with 360Giving data.",
        )

    return RegisterOrganisationForm()


class ApprovalForm(FlaskForm):
    agreement_ref = reference_field("Data-sharing agreement reference")
    agreement_date = DateField("Date the agreement was signed", validators=SIGNED_ON)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give the reason."), Length(max=500)],
        description="Recorded in the history. Do not include members' personal data.",
    )


class TokenForm(FlaskForm):
    label = StringField(
        "Where will the token be used?",
        validators=[DataRequired("Say where the token will be used."), Length(max=80)],
        description="e.g. 'Loan decision system'. Shown in the list of tokens.",
    )


def roles_field() -> Checkboxes:
    return Checkboxes("Roles", choices=options(ROLES), validators=[DataRequired("Choose at least one role.")])


class AccountForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Enter a username."), Length(max=40)],
        description="A handle such as amy.k: it appears in the history.",
    )
    roles = roles_field()


class RolesForm(FlaskForm):
    roles = roles_field()


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token."""


NOT_CONFIRMED = "Nothing was changed: tick the box to confirm."


class ConfirmForm(FlaskForm):
    """A destructive action (revoke a token, disable an account): it acts only when the
    box saying what will happen is ticked, checked here, on the server (no JavaScript)."""

    confirm = BooleanField("I understand, go ahead", validators=[DataRequired(NOT_CONFIRMED)])


class SuspendForm(ReasonForm):
    confirm = BooleanField(
        "I understand: the organisation will see nothing and its API tokens are refused until reinstated",
        validators=[DataRequired(NOT_CONFIRMED)],
    )


# The audit questions (GET forms: they change nothing, so no CSRF token)


class AuditForm(Form):
    pass


def audit_form(question: str, organisations: list[tuple[str, str]], categories: list[tuple[str, str]], formdata):  # type: ignore[no-untyped-def]
    member = StringField(
        "Member",
        validators=[DataRequired("Enter the member's reference code or id."), Length(max=40)],
        description="Reference code (e.g. ABCD-EFGH) or member id.",
    )
    moment = StringField(
        "At (optional)",
        validators=[Optional(), Length(max=40)],
        description="Date and time, e.g. 2026-03-02 14:30 (UK time). Blank means now.",
        render_kw={"type": "datetime-local"},
    )
    axis = RadioField("Time axis", choices=options(AXES), default="recorded")
    organisation = SelectField(
        "Organisation", choices=options(organisations), validators=[InputRequired("Choose an organisation.")]
    )
    fields: dict = {
        "who-could-see": {"member": member, "at": moment, "axis": axis},
        "what-could-see": {
            "organisation": organisation,
            "start": StringField(
                "From (optional)",
                validators=[Optional(), Length(max=40)],
                description="e.g. 2026-03-02 09:00 (UK time). Blank means now.",
                render_kw={"type": "datetime-local"},
            ),
            "end": StringField(
                "Until (optional)",
                validators=[Optional(), Length(max=40)],
                description="Blank: only the moment the period starts.",
                render_kw={"type": "datetime-local"},
            ),
            "axis": axis,
        },
        "history": {"member": member},
        "who-read": {"member": member},
        "explain": {
            "organisation": organisation,
            "member": member,
            "category": SelectField("Data category", choices=options(categories)),
            "at": moment,
            "axis": axis,
        },
    }[question]
    # ``order``: the fields in the order a trustee asks the question (not the order they were made in)
    form_class = type("AuditQuestionForm", (AuditForm,), {**fields, "order": list(fields)})
    return form_class(formdata=formdata)
