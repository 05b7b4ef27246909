"""The fake Telegram Bot API, exercised with the real python-telegram-bot client."""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter
from telegram.ext import AIORateLimiter, ApplicationBuilder, CallbackQueryHandler, CommandHandler

from tests.fake_telegram import FakeTelegram, FloodLimits

# PTB 22.2+ warns in every RetryAfter.__init__ that retry_after will become a timedelta (unless PTB_TIMEDELTA=1).
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server


def with_bot(fake, scenario, token=None):
    """Run ``scenario(bot)`` in a fresh event loop with a real PTB Bot pointed at the fake."""

    async def main():
        bot = Bot(token or fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        async with bot:
            return await scenario(bot)

    return asyncio.run(main())


def seconds(retry_after):
    """RetryAfter.retry_after is an int in PTB 22, a timedelta with PTB_TIMEDELTA=1 (and in PTB 23)."""
    return retry_after if isinstance(retry_after, int) else int(retry_after.total_seconds())


def keyboard(*buttons):
    return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=data)] for text, data in buttons])


def test_get_me_answers_the_bot(fake):
    me = with_bot(fake, lambda bot: bot.get_me())

    assert me.is_bot
    assert me.username == "datatrust_test_bot"
    assert me.id == int(fake.token.split(":")[0])


def test_a_sent_message_is_recorded_with_its_inline_keyboard(fake):
    mary = fake.user("Mary")

    sent = with_bot(
        fake,
        lambda bot: bot.send_message(
            mary.chat_id, "<b>Consent?</b>", parse_mode="HTML", reply_markup=keyboard(("Yes", "c:yes"), ("No", "c:no"))
        ),
    )

    assert sent.chat.id == mary.chat_id
    assert sent.from_user.is_bot
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "c:yes"
    [recorded] = fake.messages_to(mary)
    assert recorded.message_id == sent.message_id
    assert (recorded.text, recorded.parse_mode) == ("<b>Consent?</b>", "HTML")
    assert recorded.buttons == [("Yes", "c:yes"), ("No", "c:no")]
    assert not recorded.edited


def test_texts_and_presses_arrive_through_get_updates_and_redelivery_repeats_the_update_id(fake):
    mary = fake.user("Mary")

    async def scenario(bot):
        question = await bot.send_message(mary.chat_id, "Consent?", reply_markup=keyboard(("Yes", "c:yes")))
        fake.send_command(mary, "/start", "ref42")
        fake.send_text(mary, "hello")
        fake.press(mary, fake.messages_to(mary)[0], "c:yes")
        first = await bot.get_updates(timeout=0)
        # The same offset again: nothing confirmed yet, so the same three come again.
        again = await bot.get_updates(timeout=0)
        confirmed = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        fake.redeliver(first[0].update_id)
        redelivered = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        after = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
        return question, first, again, confirmed, redelivered, after

    question, first, again, confirmed, redelivered, after = with_bot(fake, scenario)

    start, hello, press = first
    assert start.message.text == "/start ref42"
    assert start.message.entities[0].type == "bot_command"
    assert start.message.entities[0].length == len("/start")
    assert hello.message.text == "hello"
    assert hello.message.from_user.id == mary.id
    assert press.callback_query.data == "c:yes"
    assert press.callback_query.message.message_id == question.message_id
    assert press.callback_query.message.reply_markup.inline_keyboard[0][0].text == "Yes"
    assert [u.update_id for u in first] == [start.update_id, start.update_id + 1, start.update_id + 2]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert confirmed == ()
    assert [u.update_id for u in redelivered] == [start.update_id]
    assert redelivered[0].message.text == "/start ref42"
    assert after == ()


def test_get_updates_long_polls_until_an_update_is_queued(fake):
    mary = fake.user("Mary")
    queued = []

    def send_late():
        queued.append(time.monotonic())
        fake.send_text(mary, "late")

    async def scenario(bot):
        threading.Timer(0.3, send_late).start()  # once the bot has started, however long that took
        started = time.monotonic()
        updates = await bot.get_updates(timeout=5)
        return updates, started, time.monotonic()

    updates, started, returned = with_bot(fake, scenario)

    assert [u.message.text for u in updates] == ["late"]
    assert started < queued[0] < returned < queued[0] + 3, "the poll waited for the update, then answered at once"


def test_answering_a_callback_is_recorded_and_an_edit_updates_the_record(fake):
    mary = fake.user("Mary")

    async def scenario(bot):
        question = await bot.send_message(mary.chat_id, "Consent?", reply_markup=keyboard(("Yes", "c:yes")))
        fake.press(mary, question.message_id, "c:yes")
        [update] = await bot.get_updates(timeout=0)
        await bot.answer_callback_query(update.callback_query.id, text="Thanks")
        edited = await bot.edit_message_text("Consent given", chat_id=mary.chat_id, message_id=question.message_id)
        with pytest.raises(BadRequest, match="message is not modified"):
            await bot.edit_message_text("Consent given", chat_id=mary.chat_id, message_id=question.message_id)
        with pytest.raises(BadRequest, match="(?i)query id is invalid"):
            await bot.answer_callback_query(update.callback_query.id)
        return edited

    edited = with_bot(fake, scenario)

    assert edited.text == "Consent given"
    assert edited.edit_date is not None
    [record] = fake.messages_to(mary)
    assert record.text == "Consent given"
    assert record.edited
    assert record.history == ["Consent?"]
    assert record.buttons == []  # an edit without reply_markup drops the keyboard, as in Telegram
    [answer] = fake.answered_callbacks
    assert (answer.text, answer.user_id, answer.data) == ("Thanks", mary.id, "c:yes")


def test_a_sent_document_keeps_its_bytes_and_name(fake):
    mary = fake.user("Mary")
    content = bytes(range(256)) * 20 + b"\r\n--boundary-lookalike--\r\n"

    async def scenario(bot):
        sent = await bot.send_document(mary.chat_id, content, filename="export.json", caption="Your data")
        downloaded = await (await bot.get_file(sent.document.file_id)).download_as_bytearray()
        return sent, bytes(downloaded)

    sent, downloaded = with_bot(fake, scenario)

    [document] = fake.documents_to(mary)
    assert document.content == content
    assert document.filename == "export.json"
    assert document.caption == "Your data"
    assert document.mime_type == "application/json"
    assert sent.document.file_name == "export.json"
    assert sent.document.file_size == len(content)
    assert downloaded == content


def test_exceeding_the_overall_limit_raises_retry_after_and_stores_nothing():
    # The limit's clock stands still: the 31st message comes within the same second as the first 30,
    # however long a loaded machine takes to send them (on the real clock the window could slide).
    with FakeTelegram(clock=lambda: 100.0) as fake:
        users = [fake.user(f"Member {i}") for i in range(31)]

        async def scenario(bot):
            await asyncio.gather(*(bot.send_message(user.chat_id, "notice") for user in users[:30]))
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(users[30].chat_id, "notice")
            return refused.value

        refused = with_bot(fake, scenario)

        assert seconds(refused.retry_after) == 1
        assert fake.messages_to(users[30]) == []
        assert (fake.given_429, fake.given_429_overall, fake.given_429_by_chat) == (1, 1, {})


def test_one_chat_gets_its_burst_then_429_with_retry_after():
    with FakeTelegram(limits=FloodLimits(chat_capacity=2, chat_refill_per_second=0.5)) as fake:
        mary = fake.user("Mary")

        async def scenario(bot):
            await bot.send_message(mary.chat_id, "1")
            await bot.send_message(mary.chat_id, "2")
            with pytest.raises(RetryAfter) as refused:
                await bot.send_message(mary.chat_id, "3")
            return refused.value

        refused = with_bot(fake, scenario)

        assert seconds(refused.retry_after) == 2
        assert [m.text for m in fake.messages_to(mary)] == ["1", "2"]
        assert fake.given_429_by_chat == {mary.chat_id: 1}


def test_aio_rate_limiter_sends_one_message_to_each_of_100_chats(fake):
    users = [fake.user(f"Member {i}") for i in range(100)]

    async def main():
        application = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(fake.base_url)
            .base_file_url(fake.base_file_url)
            .rate_limiter(AIORateLimiter(max_retries=3))
            .build()
        )
        async with application:
            return await asyncio.gather(
                *(application.bot.send_message(user.chat_id, f"Hello {i}") for i, user in enumerate(users)),
                return_exceptions=True,
            )

    started = time.monotonic()
    results = asyncio.run(main())
    elapsed = time.monotonic() - started

    assert [r for r in results if isinstance(r, Exception)] == []
    assert [len(fake.messages_to(user)) for user in users] == [1] * 100
    # aiolimiter's leaky bucket lets ~30 through at once and then 30 a second, so against a strict "30 in any
    # second" window a few 429s are given and retried (each halting all sending for retry_after + 0.1 s).
    print(f"100 messages in {elapsed:.2f}s; 429s given: {fake.given_429}")
    assert fake.given_429 == fake.given_429_overall
    assert elapsed < 15


def test_a_wrong_token_is_refused_as_invalid(fake):
    with pytest.raises(InvalidToken, match="rejected by the server"):
        with_bot(fake, lambda bot: bot.get_me(), token="999:wrong")  # noqa: S106 - a fake token


def test_unknown_methods_and_chats(fake):
    mary = fake.user("Mary")
    fake.block(mary)

    async def scenario(bot):
        with pytest.raises(InvalidToken, match="Not Found"):  # PTB maps 404 to InvalidToken outside do_api_request
            await bot._post("noSuchMethod")
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(42, "hi")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(mary.chat_id, "hi")
        fake.unblock(mary)
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(mary.chat_id, "hi", reply_markup=keyboard(("x", "d" * 65)))

    with_bot(fake, scenario)
    assert fake.messages_to(mary) == []


def test_commands_can_be_set_read_and_deleted(fake):
    async def scenario(bot):
        await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("consent", "Review consent")])
        listed = await bot.get_my_commands()
        await bot.delete_my_commands()
        return listed, await bot.get_my_commands()

    listed, after = with_bot(fake, scenario)

    assert [(c.command, c.description) for c in listed] == [("start", "Begin"), ("consent", "Review consent")]
    assert after == ()


class _Receiver(BaseHTTPRequestHandler):
    received: list

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_mode_pushes_updates_with_the_secret_and_get_updates_conflicts(fake):
    mary = fake.user("Mary")
    received = []
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), type("Receiver", (_Receiver,), {"received": received}))
    threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_address[1]}/telegram"

    async def scenario(bot):
        await bot.set_webhook(url, secret_token="s3cret-token_1")  # noqa: S106 - a fake secret
        info = await bot.get_webhook_info()
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        fake.send_command(mary, "/start")
        fake.send_text(mary, "hello")
        statuses = await fake.apush()
        update = Update.de_json(received[1][1], bot)
        await bot.delete_webhook()
        return info, statuses, update, await bot.get_updates(timeout=0)

    try:
        info, statuses, update, polled = with_bot(fake, scenario)
    finally:
        receiver.shutdown()
        receiver.server_close()

    assert info.url == url
    assert statuses == [200, 200]
    assert [secret for secret, _ in received] == ["s3cret-token_1", "s3cret-token_1"]
    assert received[0][1]["message"]["text"] == "/start"
    assert update.message.text == "hello"
    assert polled == ()  # delivered by webhook, so nothing left to poll
    assert fake.pending_updates == []


def test_waiting_for_messages(fake):
    mary = fake.user("Mary")

    async def scenario(bot):
        async def later():
            await asyncio.sleep(0.1)
            await bot.send_message(mary.chat_id, "one")
            await bot.send_message(mary.chat_id, "two")

        task = asyncio.create_task(later())
        messages = await fake.until_messages(mary, 2, timeout=5)
        await task
        with pytest.raises(TimeoutError):
            await fake.until_messages(mary, 3, timeout=0.1)
        return messages

    assert [m.text for m in with_bot(fake, scenario)] == ["one", "two"]
    assert [m.text for m in fake.wait_for_messages(mary, 2, timeout=0.1)] == ["one", "two"]


def test_a_polling_application_answers_a_command_and_a_press(fake):
    mary = fake.user("Mary")
    seen = []

    async def start(update, context):
        seen.append(update.update_id)
        await update.message.reply_text("Consent?", reply_markup=keyboard(("Yes", "c:yes")))

    async def pressed(update, context):
        await update.callback_query.answer("Noted")
        await update.callback_query.edit_message_text("Consent given")

    async def main():
        application = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
        application.add_handler(CommandHandler("start", start))
        application.add_handler(CallbackQueryHandler(pressed))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0, timeout=1)
            update = fake.send_command(mary, "/start")
            [question] = await fake.until_messages(mary, 1)
            fake.press(mary, question, "c:yes")
            deadline = time.monotonic() + 5
            while not fake.messages_to(mary)[0].edited and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            fake.redeliver(update["update_id"])
            await fake.until_messages(mary, 2)
            await application.updater.stop()
            await application.stop()
            return update

    update = asyncio.run(main())

    first, second = fake.messages_to(mary)
    assert (first.text, first.edited, first.buttons) == ("Consent given", True, [])
    assert [a.text for a in fake.answered_callbacks] == ["Noted"]
    # A redelivered update reaches the handler again with the same update_id: the bot must dedupe itself.
    assert seen == [update["update_id"], update["update_id"]]
    assert second.text == "Consent?"
    assert fake.calls("deleteWebhook")  # start_polling clears any webhook first
