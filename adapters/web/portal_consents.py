"""In the portal, a member gives and withdraws their consents, purpose by purpose and organisation
by organisation (recorded as by themself, collected via the portal), reading a purpose's notice
before giving it, as the chat shows it; and sees, category by category, who could read their data
now and who did (the reads the chat's /mydata lists, from the same history)."""

from uuid import UUID

from flask import abort, flash, g, redirect, url_for
from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.validators import InputRequired

from adapters.conversation.flows.mydata import READS, for_member
from adapters.web.forms import ActionForm, audience_choices, options, own_audience
from adapters.web.pages import page, services
from adapters.web.portal import blueprint, signed_in_member
from domain.kernel.errors import TrustError
from domain.portal.commands import PORTAL_ACTOR
from domain.trust import Audience


def _offered() -> list:  # type: ignore[type-arg]
    return services().catalogue.offered_purposes(g.member["kind"])


def _active() -> list[dict]:
    svc = services()
    return [c for c in svc.views.consents(g.member["member_id"], svc.clock()) if c["ended_at"] is None]


@blueprint.route("/consents")
@signed_in_member
def consents():  # type: ignore[no-untyped-def]
    svc = services()
    active = _active()
    return page(
        "portal/consents.html",
        active=active,
        given={c["purpose"] for c in active},
        offered=_offered(),
        catalogue=svc.catalogue,
        action=ActionForm(),
    )


def _audience(choice: str) -> Audience:
    kind, _, value = (choice or "").partition(":")
    return Audience(organisation_id=UUID(value)) if kind == "org" else Audience(kind=value)


@blueprint.route("/consents/give/<purpose>", methods=["GET", "POST"])
@signed_in_member
def give(purpose: str):  # type: ignore[no-untyped-def]
    svc = services()
    chosen = next((p for p in _offered() if p.code == purpose), None)
    if chosen is None:
        abort(404)
    approved = [o for o in svc.views.organisations() if o["status"] == "approved"]
    choices = [
        (value, label.replace(" only (approved)", " only"))
        for value, label in audience_choices(svc.catalogue, approved, chosen)
    ]

    class GiveForm(FlaskForm):
        audience = RadioField(
            "Who may read it", choices=options(choices), validators=[InputRequired("Choose who may read it.")]
        )

    form = GiveForm()
    if not form.is_submitted():
        form.audience.data = own_audience(chosen)
    if form.validate_on_submit():
        try:
            svc.trust.grant_consent(
                g.member["member_id"],
                chosen.code,
                chosen.offer.categories,
                _audience(form.audience.data),
                PORTAL_ACTOR,
                collected_via="portal",
            )
        except (TrustError, ValueError) as error:
            form.form_errors.append(f"Nothing was recorded: {error}")
        else:
            flash(f"Given: {chosen.title}.", "success")
            return redirect(url_for("portal.consents"))
    return page(
        "portal/give.html",
        400 if form.is_submitted() else 200,
        form=form,
        purpose=chosen,
        notice=chosen.notices[chosen.latest_notice],
        categories=[svc.catalogue.categories[c] for c in chosen.offer.categories],
    )


@blueprint.route("/consents/<uuid:consent_id>/withdraw", methods=["POST"])
@signed_in_member
def withdraw(consent_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    consent = next((c for c in _active() if c["consent_id"] == consent_id), None)
    form = ActionForm()
    if consent is None or not form.validate_on_submit():  # not theirs, or withdrawn already
        flash("That consent is not one of your active consents; nothing was changed.", "error")
        return redirect(url_for("portal.consents"))
    try:
        svc.trust.revoke_consent(consent_id, PORTAL_ACTOR)
    except TrustError as error:
        flash(f"Nothing was recorded: {error}", "error")
    else:
        title = svc.catalogue.purposes[consent["purpose"]].title
        flash(f"Withdrawn: {title}. From now on no organisation can read your data for this.", "success")
    return redirect(url_for("portal.consents"))


def _same(text: str) -> str:
    return text


@blueprint.route("/reads")
@signed_in_member
def reads():  # type: ignore[no-untyped-def]
    """Category by category: who could read it now (not for panels: those give counts only), who did."""
    svc = services()
    member_id, catalogue = g.member["member_id"], svc.catalogue
    could = svc.views.who_could_see(member_id, svc.clock())
    history = [for_member(_same, e, "en", catalogue) for e in svc.views.history(member_id)]
    done = [e for e in history if e["what"] in READS]
    rows, standard = [], catalogue.standard
    for code, title in catalogue.categories.items():
        if code in standard.schemas and not standard.for_member(code, g.member["kind"]):
            continue  # a category of the standard never asked of this kind of member
        readers = [
            entry["organisation"]
            for entry in could
            if any(
                code in consent["categories"] and not catalogue.purposes[consent["purpose"]].panels
                for consent in entry["consents"]
            )
        ]
        read_by = [e for e in done if e["what"] == "read" and code in (e.get("categories") or [])]
        rows.append({"title": title, "could": readers, "did": read_by})
    staff: dict[str, int] = {}  # each day's staff reads once, with how many there were
    for entry in done:
        if entry["what"] not in ("read", "read refused"):
            staff[entry["text"]] = staff.get(entry["text"], 0) + 1
    return page("portal/reads.html", rows=rows, staff=list(staff.items()))
