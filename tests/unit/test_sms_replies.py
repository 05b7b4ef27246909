"""By SMS each text is at most two segments (issue 15): the fixed answers fit in one text as they
are, and anything longer is split at line ends into texts that each fit."""

from datetime import UTC, datetime

import pytest

from adapters.bot.sms import render
from adapters.bot.sms.segments import encoding, segments
from adapters.conversation import ballot_replies, replies
from adapters.conversation.channels import SMS
from adapters.conversation.messages import Reply
from adapters.conversation.texts import translator
from domain.kernel.catalogue import load_catalogue

_ = translator("en")
FIXED = {
    "help": replies.help_text(_, short=True),
    "not understood": replies.not_understood(_, short=True),
    "nothing to choose": replies.no_choice_waiting(_, short=True),
    "messages started": replies.messages_started(_),
    "terms in short": replies.terms_summary(_, load_catalogue()),
    "stale": Reply(replies.stale_choice(_)),
    "vote recorded": ballot_replies.recorded(_, "K7Q2-9XPD", datetime(2026, 10, 3, 13, 5, tzinfo=UTC)),
    "too many codes": replies.too_many_codes(_, 15),
}


@pytest.mark.parametrize("name", sorted(FIXED))
def test_each_fixed_answer_is_one_text_of_at_most_two_segments_in_plain_characters(name):
    reply = FIXED[name]
    sent = render.texts([Reply(SMS.command_words(reply.text), reply.buttons)])
    assert len(sent) == 1 and segments(sent[0]) <= 2, sent
    assert encoding(sent[0]) == "GSM-7", sent[0]


def test_the_sms_help_names_details_and_still_fits_in_one_text():
    sent = render.texts([Reply(SMS.command_words(replies.help_text(_, short=True).text))])
    assert len(sent) == 1 and segments(sent[0]) <= 2
    assert "DETAILS" in sent[0]


def test_a_long_answer_is_split_at_line_ends_with_the_choices_numbered_in_the_last_text():
    long = Reply("\n".join(f"Line {n}: " + "word " * 20 for n in range(10)), [[("Yes", "y"), ("No", "n")]])
    sent = render.texts([long, Reply("Second", [[("Maybe", "m")]])])
    assert all(segments(text) <= 2 for text in sent)
    assert len(sent) > 2 and sent[-2].endswith("1 Yes\n2 No") and sent[-1] == "Second\n3 Maybe"
    assert "".join(sent).count("Line ") == 10  # nothing lost


def test_emoji_and_curly_quotes_give_way_to_plain_characters_but_other_scripts_stay():
    assert render.plain("✅ “Affordable credit”: given — thank you! 🎉") == '"Affordable credit": given - thank you!'
    assert render.plain("Дякую") == "Дякую"  # counted as UCS-2, never mangled
