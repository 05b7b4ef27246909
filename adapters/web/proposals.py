"""Proposals on the web: trustees open, follow and close them and see the rules the
trust runs on; caseworkers record a vote from a signed paper ballot. Pages show who
has voted and how many, and (once closed) the counts: never anyone's choice."""

from uuid import UUID

from flask import Blueprint, abort, flash, redirect, url_for

from adapters.web.auth import requires
from adapters.web.channels import told
from adapters.web.forms import ActionForm
from adapters.web.pages import acting_as, page, services
from adapters.web.proposal_forms import DECISION, RULE_CHANGE, SPLIT, paper_ballot_form, paper_split_form, proposal_form
from adapters.web.staff_reads import shows_member
from domain.governance.votes import VotingClosed
from domain.kernel.errors import NotFound, TrustError

blueprint = Blueprint("proposals", __name__)


def _proposal_or_404(proposal_id: UUID) -> dict:
    try:
        return services().views.proposal(proposal_id)
    except NotFound:
        abort(404)


@blueprint.route("/trustee/proposals")
@requires("trustee")
def index():  # type: ignore[no-untyped-def]
    svc = services()
    return page("proposals/index.html", proposals=svc.views.proposals(), now=svc.clock())


@blueprint.route("/trustee/proposals/new", methods=["GET", "POST"])
@requires("trustee")
def new():  # type: ignore[no-untyped-def]
    svc = services()
    form = proposal_form(svc.trust.votable_rules())
    if form.validate_on_submit():
        rule_change = form.kind.data == RULE_CHANGE
        try:
            proposal_id = svc.trust.open_proposal(
                form.title.data,
                form.text.data,
                form.choices.options,
                form.closes.moment,
                acting_as("trustee"),
                quorum_percent=form.quorum_percent.data,
                pass_percent=form.pass_percent.data,
                passing_option=0 if form.kind.data in (DECISION, RULE_CHANGE) else None,
                rule_code=form.rule_code.data if rule_change else None,
                rule_value=form.rule_value.data if rule_change else None,
                split=form.kind.data == SPLIT,
            )
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"Proposal opened. {told('the members who may vote', 'of it')}", "success")
            return redirect(url_for("proposals.proposal", proposal_id=proposal_id))
    told_members = told("the members who may vote", "as soon as it opens")
    return page("proposals/new.html", 400 if form.is_submitted() else 200, form=form, told=told_members)


def _proposal_page(proposal_id: UUID, status: int = 200, action: ActionForm | None = None):  # type: ignore[no-untyped-def]
    svc = services()
    proposal = _proposal_or_404(proposal_id)
    rules = {rule.code: rule for rule in svc.trust.votable_rules()}
    return page(
        "proposals/proposal.html",
        status,
        proposal=proposal,
        rule=rules.get(proposal["rule_code"]),
        outcome=svc.trust.proposal_outcome(proposal_id),
        now=svc.clock(),
        action=action or ActionForm(),
    )


@blueprint.route("/trustee/proposals/<uuid:proposal_id>")
@requires("trustee")
def proposal(proposal_id: UUID):  # type: ignore[no-untyped-def]
    return _proposal_page(proposal_id)


@blueprint.route("/trustee/proposals/<uuid:proposal_id>/close", methods=["POST"])
@requires("trustee")
def close(proposal_id: UUID):  # type: ignore[no-untyped-def]
    _proposal_or_404(proposal_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services().trust.close_proposal(proposal_id, acting_as("trustee"))
        except TrustError as error:
            flash(str(error), "error")
        else:
            flash(f"Proposal closed. {told('the members who could vote', 'the result')}", "success")
        return redirect(url_for("proposals.proposal", proposal_id=proposal_id))
    return _proposal_page(proposal_id, 400, form)


@blueprint.route("/trustee/rules")
@requires("trustee")
def rules():  # type: ignore[no-untyped-def]
    svc = services()
    history = svc.views.rule_history()
    shown = []
    for rule in svc.trust.votable_rules():
        live = svc.trust.live_rule(rule.code)
        setter = next((c for c in reversed(history) if c["code"] == rule.code), None) if live.proposal_id else None
        shown.append(dict(rule=rule, live=live, setter=setter, history=[c for c in history if c["code"] == rule.code]))
    return page("proposals/rules.html", rules=shown)


def _member_or_404(member_id: UUID) -> dict:
    try:
        return services().views.member_card(member_id)
    except NotFound:
        abort(404)


@blueprint.route("/members/<uuid:member_id>/ballots")
@requires("caseworker")
@shows_member("member-ballots")
def member_ballots(member_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    votes = svc.views.votes_of(member_id)
    open_now = []
    for row in svc.views.open_proposals(svc.clock()):
        ballot = svc.trust.member_ballot(row["proposal_id"], member_id)
        open_now.append(dict(row, eligible=ballot.eligible and card["status"] == "active"))
    return page("proposals/member_ballots.html", member=card, proposals=open_now, votes=votes)


@blueprint.route("/members/<uuid:member_id>/ballots/<uuid:proposal_id>", methods=["GET", "POST"])
@requires("caseworker")
@shows_member("member-ballot")
def paper_ballot(member_id: UUID, proposal_id: UUID):  # type: ignore[no-untyped-def]
    svc = services()
    card = _member_or_404(member_id)
    proposal = _proposal_or_404(proposal_id)
    split = svc.trust.proposal_outcome(proposal_id).split
    form = paper_split_form(proposal["options"]) if split else paper_ballot_form(proposal["options"])
    if form.validate_on_submit():
        vote = svc.trust.cast_split_vote if split else svc.trust.cast_vote
        choice = form.shares if split else int(form.option.data)
        caseworker, evidence = acting_as("caseworker"), form.ballot_ref.data
        try:
            vote(proposal_id, member_id, choice, caseworker, channel="paper", evidence_ref=evidence)
        except VotingClosed as closed:
            flash(str(closed), "error")
        except TrustError as error:
            form.form_errors.append(str(error))
        else:
            flash("Paper vote recorded. If the member votes again before the close, the latest vote counts.", "success")
            return redirect(url_for("proposals.member_ballots", member_id=member_id))
    status = 400 if form.is_submitted() else 200
    voted = svc.views.votes_of(member_id).get(proposal_id)
    return page(
        "proposals/paper_ballot.html", status, form=form, member=card, proposal=proposal, voted=voted, split=split
    )
