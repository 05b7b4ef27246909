"""SMS length as carriers count it (adapters/bot/sms/segments.py).

The first examples are those of Twilio's own segment calculator (TwilioDevEd/message-segment-calculator,
tests/index.test.js); the rest follow the limits in Twilio's glossary: 160/153 septets, 70/67 UCS-2 units.
"""

import pytest

from adapters.bot.sms.segments import GSM7_BASIC, encoding, fits, length, segments


@pytest.mark.parametrize(
    ("body", "expected_encoding", "expected_segments"),
    [
        # Twilio's calculator: an escaped "{" (2 septets) plus 158 digits is exactly 160 septets, one segment...
        ("{" + "234567890" * 17 + "23456", "GSM-7", 1),
        # ...one septet more makes two.
        ("{" + "234567890" * 17 + "234567", "GSM-7", 2),
        # An emoji (2 UTF-16 units) plus 68 digits is exactly 70 units, one segment; one more makes two.
        ("😜" + "2345678901" * 6 + "23456789", "UCS-2", 1),
        ("😜" + "2345678901" * 6 + "234567890", "UCS-2", 2),
    ],
)
def test_twilio_calculator_examples(body, expected_encoding, expected_segments):
    assert encoding(body) == expected_encoding
    assert segments(body) == expected_segments


def test_the_examples_are_the_lengths_they_claim():
    assert length("{" + "234567890" * 17 + "23456") == 160
    assert length("😜" + "2345678901" * 6 + "23456789") == 70


def test_plain_text_is_gsm7_up_to_160_then_153_a_segment():
    assert encoding("Reply 1 to give, 2 to withdraw") == "GSM-7"
    assert segments("") == 1
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2
    assert segments("a" * 307) == 3
    assert segments("a" * 1530) == 10


def test_the_whole_gsm7_default_alphabet_is_one_septet_each():
    alphabet = "".join(sorted(GSM7_BASIC))
    assert len(alphabet) == 127  # 128 codes, one of them the escape
    assert encoding(alphabet) == "GSM-7"
    assert length(alphabet) == 127
    assert encoding("£5 for Ñoño à Zürich, @home; ¿qué? ¡si! §3 ¤ Δ") == "GSM-7"


@pytest.mark.parametrize("char", ["€", "[", "]", "{", "}", "^", "~", "|", "\\", "\f"])
def test_extension_characters_stay_gsm7_and_count_two(char):
    assert encoding(char) == "GSM-7"
    assert length(char) == 2
    assert segments(char * 80) == 1
    assert segments(char * 81) == 2


def test_an_escape_pair_is_never_split_across_segments():
    # 152 septets then "€": 154 septets, two parts; the pair does not fit in part one's last septet...
    text = "a" * 152 + "€" + "a" * 151
    assert length(text) == 305
    # ...so part one holds 152, part two "€" + 151 = 153: still two.
    assert segments(text) == 2
    # One septet more and the pair pushes a third part (a naive ceil(306 / 153) would say 2).
    assert length(text + "a") == 306
    assert segments(text + "a") == 3


@pytest.mark.parametrize(
    "text",
    [
        "Café ’quoted’",  # a curly apostrophe is not in GSM-7
        "Diolch – ŵ ŷ",  # Welsh circumflexes ŵ ŷ and an en dash
        "Привет",
        "emoji 🙂",
        "e\u0301",  # a combining accent
        "`backtick`",
        "ç",  # only capital Ç is in the default alphabet
        "sí",  # ì is, í is not
    ],
)
def test_anything_else_forces_ucs2(text):
    assert encoding(text) == "UCS-2"


def test_ucs2_is_70_then_67_units_a_segment():
    assert segments("ŵ" * 70) == 1
    assert segments("ŵ" * 71) == 2
    assert segments("ŵ" * 134) == 2
    assert segments("ŵ" * 135) == 3


def test_an_emoji_takes_two_units_and_its_pair_is_never_split():
    assert length("🙂") == 2
    assert segments("🙂" * 35) == 1
    assert segments("🙂" * 36) == 2
    # 66 units then an emoji: it does not fit in part one's last unit, so 66 + 1 more part.
    text = "ŵ" * 66 + "🙂" + "ŵ" * 65
    assert length(text) == 133
    assert segments(text) == 2
    assert segments(text + "ŵ") == 3


def test_one_non_gsm_character_turns_a_one_segment_text_into_three():
    text = "a" * 150
    assert segments(text) == 1
    assert segments(text + "’") == 3  # 151 UCS-2 units: 67 + 67 + 17


def test_fits_defaults_to_two_segments():
    assert fits("a" * 306)
    assert not fits("a" * 307)
    assert fits("a" * 307, max_segments=3)
    assert fits("ŵ" * 134)
    assert not fits("ŵ" * 135)
    assert not fits("a" * 161, max_segments=1)
