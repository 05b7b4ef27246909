"""Names show what they hold: no hidden controls, no direction tricks, something visible."""

import pytest

from domain.kernel.errors import InvalidRequest
from domain.kernel.text import one_line


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",  # a zero-width space and nothing else
        "Ada\u200bLovelace",  # a zero-width space hidden inside
        "Ada \u009b31m",  # a C1 control (CSI)
        "Ada \u202egnp.exe",  # right-to-left override: shows as "Ada exe.png"
        "Ada \u2066x\u2069",  # a directional isolate
        "\ufeffAda",  # a byte-order mark
        "\u200d",  # a joiner alone is not a name
        "\u200c \u200d",
        "\u0301\u0301",  # only combining marks
        "\u3164",  # a Hangul filler: a letter that draws nothing
        "   \u00a0 ",  # only spaces
    ],
)
def test_an_invisible_or_spoofing_name_is_refused_with_a_sentence(name):
    with pytest.raises(InvalidRequest) as refused:
        one_line(name, "A member's name")
    assert str(refused.value).startswith("A member's name ")
    assert str(refused.value).endswith(".")


@pytest.mark.parametrize(
    "name",
    [
        "Zoë",
        "O'Brien",
        "Zoe\u0308 Smith",  # a combining diaeresis after a letter
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian with a zero-width non-joiner
        "\u0915\u094d\u200d\u0937",  # Devanagari with a joiner
        "李小龙",
        "\U0001f469\u200d\U0001f52c Ada",  # woman scientist: an emoji joined by ZWJ
        "Jean-Luc  Picard\t",
    ],
)
def test_real_names_are_accepted(name):
    assert one_line(name, "A member's name") == " ".join(name.split())
