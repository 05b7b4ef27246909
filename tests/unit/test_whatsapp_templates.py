"""The catalogue's WhatsApp templates (issue 15): what an announcement outside WhatsApp's 24-hour
window goes as. A bad entry stops the catalogue loading with one sentence saying what is wrong."""

import pytest

from domain.kernel.catalogue import DEFAULT_CATALOGUE, WhatsAppTemplate, load_catalogue
from domain.kernel.errors import InvalidRequest


def catalogue_with(tmp_path, entry: str):
    path = tmp_path / "catalogue.toml"
    path.write_text(DEFAULT_CATALOGUE.read_text(encoding="utf-8") + f"\n[whatsapp.templates]\n{entry}\n")
    return load_catalogue(path)


def test_the_default_catalogue_has_no_template_so_nothing_goes_outside_the_window():
    assert load_catalogue().whatsapp_templates == {}


def test_an_announcement_template_is_read_with_what_fills_its_body(tmp_path):
    catalogue = catalogue_with(tmp_path, 'announcement = { name = "trust_news", language = "en_GB", body = ["text"] }')
    template = catalogue.whatsapp_templates["announcement"]
    assert template == WhatsAppTemplate("trust_news", "en_GB", ("text",))
    assert template.body_values("The meeting is on Friday.") == ["The meeting is on Friday."]


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        ('announcement = "trust_news"', "[whatsapp.templates] announcement must be a table like"),
        (
            'announcement = { name = "Trust News", language = "en_GB" }',
            "needs the template's name as Meta has it: lower-case letters, digits and _.",
        ),
        ('announcement = { name = "trust_news" }', 'needs the template\'s language code, like "en_GB" or "cy".'),
        (
            'announcement = { name = "trust_news", language = "en_GB", body = ["name"] }',
            "body must list what fills each parameter, from: text.",
        ),
        (
            'announcement = { name = "trust_news", language = "en_GB", header = "x" }',
            "has unknown keys header; it takes name, language and body.",
        ),
    ],
)
def test_a_bad_template_is_refused_in_one_sentence(tmp_path, entry, said):
    with pytest.raises(InvalidRequest) as refusal:
        catalogue_with(tmp_path, entry)
    assert said in str(refusal.value)
