"""A small business that is a member of the trust, and the survey it asks its staff."""

from domain.insight.disclosure.release import Question
from domain.kernel.actors import Actor

BUSINESS_PORTAL = Actor("member", "via portal")
QUESTIONS = (
    Question("rota", "single", "How fair is the rota?", ("fair", "mixed", "unfair")),
    Question("help", "multiple", "What would help most?", ("training", "breaks", "pay")),
    Question("else", "text", "Anything else you want us to know?", ()),
)


def business(trust, name: str = "Fellside Bakery"):
    return trust.register_member(name, Actor("member", "self"), channel="web", kind="organisation-member")


def open_survey(trust, member_id, codes: int = 12, questions=QUESTIONS, title: str = "How is work going?"):
    return trust.open_staff_survey(member_id, title, questions, codes, BUSINESS_PORTAL)
