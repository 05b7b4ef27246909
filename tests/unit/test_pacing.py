"""Turns for outgoing messages (adapters.bot.pacing): evenly spaced overall, each chat at its own
pace, and one chat's wait (its own spacing, a refusal for it alone) never holds up everyone else's."""

from adapters.bot.pacing import Pacing


def test_turns_are_evenly_spaced_and_a_heavier_message_takes_more_of_the_rate():
    pacing = Pacing(per_second=10, per_chat=0.0)
    assert pacing.take("a", 1.0, now=0.0) == (0.0, True)
    assert pacing.take("b", 3.0, now=0.0) == (0.1, True)  # e.g. an SMS of 3 segments
    assert pacing.take("c", 1.0, now=0.0) == (0.4, True)
    assert pacing.take("d", 1.0, now=2.0) == (2.0, True)  # an idle spell is not saved up for a burst


def test_a_chat_waiting_for_its_own_pace_leaves_the_turns_meanwhile_to_others():
    pacing = Pacing(per_second=10, per_chat=6.0)
    assert pacing.take("a", 1.0, now=0.0) == (0.0, True)
    assert pacing.take("a", 1.0, now=0.0) == (6.0, False)  # ask again at 6 s, holding no turn meanwhile
    assert pacing.take("b", 1.0, now=0.0) == (0.1, True)  # not pushed behind a's 6 seconds
    assert pacing.take("a", 1.0, now=6.0) == (6.0, True)


def test_a_refused_message_is_retried_without_its_chats_spacing_and_a_hold_keeps_only_that_chat_waiting():
    pacing = Pacing(per_second=10, per_chat=6.0)
    pacing.take("a", 1.0, now=0.0)
    pacing.refused("a")  # the provider refused it for a rate: it was not sent
    assert pacing.take("a", 1.0, now=0.5) == (0.5, True)
    pacing.hold("b", 6.0, now=1.0)  # the provider asked that this one member wait (WhatsApp's pair rate)
    assert pacing.take("b", 1.0, now=1.0) == (7.0, False)
    assert pacing.take("c", 1.0, now=1.0) == (1.0, True)


def test_a_pause_holds_everyone_and_turns_restart_evenly_spaced_after_it():
    pacing = Pacing(per_second=10, per_chat=0.0)
    pacing.take("a", 1.0, now=0.0)
    pacing.pause(2.0, now=0.0)
    assert pacing.take("b", 1.0, now=1.0) == (2.0, False)
    assert pacing.take("b", 1.0, now=2.0) == (2.0, True)
    assert pacing.take("c", 1.0, now=2.0) == (2.1, True)


def test_turns_that_woke_late_make_up_no_faster_than_the_providers_own_rate():
    """After the process stalls, the late turns go one after another, never closer together than the
    provider's limit allows (its bucket, refilled at that rate, is never emptied by the making up)."""
    pacing = Pacing(per_second=95, per_chat=0.0, limit=100)  # Twilio at 100 segments a second, say
    for number in range(20):  # their turns were planned 1/95 s apart from 0 s
        pacing.take(number, 1.0 if number != 5 else 3.0, now=0.0)
    now, went = 0.15, []  # the process was busy until 0.15 s: every one of them is late
    for number in range(20):
        now += max(0.0, pacing.too_early(now))
        pacing.released(now, 3.0 if number == 5 else 1.0)
        went.append(now)
    gaps = [round(later - earlier, 9) for earlier, later in zip(went, went[1:], strict=False)]
    assert gaps[5] == 0.03 and set(gaps[:5] + gaps[6:]) == {0.01}  # 100 segments a second, no faster
