"""The bot's Application as the factory builds it from the settings."""


def test_a_default_language_without_texts_is_a_clear_configuration_error(services):
    import dataclasses

    import pytest

    from adapters.bootstrap import ConfigurationError
    from adapters.bot.app import build_bot

    services.settings = dataclasses.replace(services.settings, bot_language="xx")
    with pytest.raises(ConfigurationError, match="no texts in 'xx'"):
        build_bot(services, "1:token")


def test_the_bot_talks_to_the_bot_api_server_the_settings_name(services):
    import dataclasses

    from adapters.bot.app import build_bot

    services.settings = dataclasses.replace(services.settings, telegram_api_url="http://127.0.0.1:8081/")
    application = build_bot(services, "1:token")
    assert application.bot.base_url == "http://127.0.0.1:8081/bot1:token"
    assert application.bot.base_file_url == "http://127.0.0.1:8081/file/bot1:token"
