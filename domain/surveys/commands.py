"""Commands about staff surveys. A business member (an organisation-member, in its portal) opens a
survey: a few questions of the insight kinds and how many one-time codes to hand out; the trust
issues the codes (shown once, kept only as keyed digests: domain.store.survey_codes). A member of
staff answers with a code, which is used up in the same transaction; answering again, an unknown
or used code, or a closed survey is refused and records nothing. The business closes the survey
and sees only the anonymised release (counts, small cells withheld at the live minimum cell size);
a trustee reviews the free text before the business sees any of it."""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy.orm import Session

from domain.governance.live_rules import RuleCommands
from domain.insight.checks import check_answers, check_released_texts
from domain.insight.commands import question_dicts
from domain.insight.disclosure.release import Question, Release, release
from domain.insight.lookups import require_trustee
from domain.kernel.actors import Actor
from domain.kernel.clock import recording_at
from domain.kernel.errors import InvalidRequest, NotAllowedNow
from domain.kernel.text import one_line
from domain.membership.commands import MembershipCommands
from domain.store.application import TrustApplication
from domain.store.survey_codes import KEY_PURPOSE, code_survey, drop_codes, issue_codes, spend_code
from domain.surveys.model import CLOSED, StaffSurvey, UnknownStaffSurvey

MAX_TITLE, MAX_CODES = 200, 100
BUSINESS_KIND = "organisation-member"


def answer_stamp(now: datetime) -> datetime:
    """The instant an answer's event is stamped with: the start of its day (UTC). Finer times would
    let anyone who saw who came to answer when match people to answers by their order."""
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def questions_of(survey: StaffSurvey) -> tuple[Question, ...]:
    return tuple(Question(q["code"], q["kind"], q["text"], tuple(q["options"])) for q in survey.questions)


@dataclass(frozen=True)
class IssuedCodes:
    survey_id: UUID
    codes: tuple[str, ...]  # shown to the business once; never kept


@dataclass(frozen=True)
class SurveyToAnswer:
    title: str
    questions: tuple[Question, ...]


class SurveyCommands:
    def __init__(self, app: TrustApplication, members: MembershipCommands, rules: RuleCommands) -> None:
        self.app = app
        self.members = members
        self.rules = rules

    def min_cell(self) -> int:
        return self.rules.live_rule("min-cell-size").value

    @property
    def _code_key(self) -> bytes:
        return self.app.vault.derived_key(KEY_PURPOSE)

    def staff_survey(self, survey_id: UUID) -> StaffSurvey:
        return self.app.load(survey_id, StaffSurvey, UnknownStaffSurvey)

    def _own(self, survey_id: UUID, member_id: UUID) -> StaffSurvey:
        survey = self.staff_survey(survey_id)
        if survey.member_id != member_id:
            raise UnknownStaffSurvey(survey_id)  # another business's survey: as if there were none
        return survey

    def open_staff_survey(
        self, member_id: UUID, title: str, questions: Sequence[Question], codes: int, actor: Actor
    ) -> IssuedCodes:
        """A business member's survey of its staff, with ``codes`` one-time codes to hand out."""
        if actor.role != "member":
            raise NotAllowedNow("A staff survey is opened by the business member itself, in its portal.")
        title, asked = one_line(title, "A survey's title", MAX_TITLE), question_dicts(questions)
        count = self._code_count(codes)
        with self.app.command() as (session, _now):
            member = self.members.member(member_id)
            member.require_current("open a staff survey for")
            if member.kind != BUSINESS_KIND:
                raise NotAllowedNow("Only a business or organisation that is a member can survey its staff.")
            survey = StaffSurvey(
                member_id=member_id, title=title, questions=asked, codes_issued=count, actor=str(actor)
            )
            issued = issue_codes(session, self._code_key, survey.id, count)
            self.app.save(survey)
        return IssuedCodes(survey.id, tuple(issued))

    def _code_count(self, codes: object) -> int:
        k = self.min_cell()
        if isinstance(codes, bool) or not isinstance(codes, int):
            raise InvalidRequest("Say how many staff codes you need, as a whole number.")
        if codes < k:
            raise InvalidRequest(
                f"Ask for at least {k} staff codes: the trust never shows answers of fewer than {k} people, "
                "so with fewer codes you could never see a result."
            )
        if codes > MAX_CODES:
            raise InvalidRequest(f"A staff survey can have at most {MAX_CODES} codes, not {codes}.")
        return codes

    def survey_for_code(self, code: str) -> SurveyToAnswer:
        """What a code's holder is asked (CodeNotValid if the code is unknown or used; nothing changes)."""
        with self.app.reading() as session:
            survey = self.staff_survey(code_survey(session, self._code_key, code))
        survey.require_open()
        return SurveyToAnswer(survey.title, questions_of(survey))

    def answer_staff_survey(self, code: str, answers: Mapping[str, str | Sequence[str]]) -> None:
        """One member of staff's answers; the code is used up. Nothing of the code stays beside them."""
        with self.app.command() as (session, now):
            survey = self.staff_survey(code_survey(session, self._code_key, code))
            survey.require_open()
            cleaned = check_answers(questions_of(survey), answers)
            key = self.app.vault.key_for(session, survey.member_id)
            if key is None:
                raise NotAllowedNow("This survey has closed, so it takes no more answers. Nothing was recorded.")
            spend_code(session, self._code_key, code, survey.id)
            sealed = self.app.vault.seal(key, survey.member_id, {"answers": cleaned})  # type: ignore[arg-type]
            with recording_at(answer_stamp(now)):
                survey.answer(sealed)
            self.app.save(survey)

    def close_staff_survey(self, survey_id: UUID, member_id: UUID | None, actor: Actor) -> Release:
        """The business (``member_id``: its own survey only) or a trustee closes the survey: the codes not
        used stop working and the anonymised release is recorded. Closing again returns it."""
        if actor.role not in ("member", "trustee") or (actor.role == "member" and member_id is None):
            raise NotAllowedNow("A staff survey is closed by its business, or by a trustee.")
        with self.app.command() as (session, _now):
            survey = self.staff_survey(survey_id) if member_id is None else self._own(survey_id, member_id)
            if survey.status == CLOSED:
                return Release.from_dict(survey.result)  # type: ignore[arg-type]
            answers = self._opened(session, survey)
            result = release(questions_of(survey), answers, {}, (), self.min_cell())
            unused = drop_codes(session, survey.id)
            survey.close(result.as_dict(), unused, str(actor))
            self.app.save(survey)
        return result

    def _opened(self, session: Session, survey: StaffSurvey) -> dict[str, dict]:
        """Each set of answers, opened with the business's key, under a random label (their order is not kept)."""
        key = self.app.vault.key_for(session, survey.member_id)
        opened = [self.app.vault.open(key, survey.member_id, sealed) for sealed in survey.sealed_answers]
        kept = [answers["answers"] for answers in opened if answers is not None]
        return {secrets.token_hex(8): answers for answers in kept}

    def staff_survey_free_text(self, survey_id: UUID) -> dict[str, list[str]]:
        """After the close, per free-text question, the texts to review (sorted: not in the order given).
        Nothing when fewer than the minimum cell size answered: then nothing may be released."""
        with self.app.reading() as session:
            survey = self.staff_survey(survey_id)
            if survey.status != CLOSED:
                raise NotAllowedNow("Free-text answers can be reviewed only after the survey closes.")
            if not self._released(survey):
                return {}
            texts: dict[str, list[str]] = {q.code: [] for q in questions_of(survey) if q.kind == "text"}
            for answers in self._opened(session, survey).values():
                for code in texts:
                    if answers.get(code):
                        texts[code].append(answers[code])
        return {code: sorted(found) for code, found in texts.items()}

    @staticmethod
    def _released(survey: StaffSurvey) -> bool:
        return bool(survey.result and (survey.result["respondents"] is not None or survey.result["tables"]))

    def release_staff_survey_free_text(self, survey_id: UUID, texts: Mapping[str, Sequence[str]], actor: Actor) -> None:
        """The reviewed (redacted) free text the business may now see: the trust's text, in no order."""
        require_trustee(actor, "release free-text answers")
        with self.app.command():
            survey = self.staff_survey(survey_id)
            if survey.status == CLOSED and not self._released(survey):
                raise NotAllowedNow(
                    "Fewer staff answered than the minimum cell size, so none of their free text may be released."
                )
            released = check_released_texts(questions_of(survey), texts)
            survey.release_free_text(released, str(actor))
            self.app.save(survey)
