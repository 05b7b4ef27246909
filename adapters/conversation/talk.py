"""One message from a member, being answered: who they are, where the conversation stands
(the draft), what the trust says back, and the one command the message may record.

A message changes the history at most once: a command runs inside ``trust.once(key)`` with the
provider's id for the message, and a message that records nothing still records its key (at the
end), so a provider's redelivery, even after a restart, is neither acted on nor answered twice."""

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from adapters.conversation.channels import Channel
from adapters.conversation.messages import Message, Reply, Said
from adapters.conversation.texts import language_for, translator
from domain.store.once import AlreadyHandled

T = TypeVar("T")
FREE_TEXT = "free_text"  # in a draft: the question waiting takes typed text, so a typed number answers it
NUMBER_ANSWERS = "number_answers"  # with FREE_TEXT: every typed number answers it, even one beside a choice's number


class Talk:
    def __init__(self, services, channel: Channel, address: int | str, said: Said):  # type: ignore[no-untyped-def]
        self.services, self.channel, self.address, self.said = services, channel, address, said
        self.trust, self.views, self.catalogue = services.trust, services.views, services.catalogue
        self.language = language_for(said.language, services.settings.bot_language)
        self._ = translator(self.language)
        self.member_id: UUID | None = self.trust.member_for_address(channel.network, address)
        self.draft: dict = self.trust.draft(channel.network, address)
        self._had_draft = bool(self.draft)
        self.out: list[Message] = []
        self.recorded = False
        self._kind: str | None = None

    @property
    def member_kind(self) -> str:
        """The talking member's kind (individual, organisation-member): what the chat offers them."""
        if self.member_id is None:
            return "individual"
        if self._kind is None:
            self._kind = self.views.member_card(self.member_id)["kind"]
        return self._kind

    @property
    def actor(self):  # type: ignore[no-untyped-def]
        return self.channel.actor

    def say(self, reply: Message) -> None:
        self.out.append(reply)

    def say_text(self, text: str) -> None:
        self.out.append(Reply(text))

    def act(self, command: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The message's one command, recorded with the message's key (AlreadyHandled on a repeat)."""
        with self.trust.once(self.said.key):
            result = command(*args, **kwargs)
        self.recorded = True
        return result

    def finish(self) -> list[Message]:
        """Take the message (its key, if no command took it), then keep where the conversation
        stands: the choices just offered, so a typed number can pick one. Raises AlreadyHandled
        if another delivery of the same message got there first (its answer is the one sent)."""
        if not self.recorded:
            with self.trust.once(self.said.key), self.trust.command():
                pass
        choices = [button for reply in self.out if isinstance(reply, Reply) for button in reply.choices]
        if choices:
            self.draft["choices"] = [[label, value] for label, value in choices]
        else:
            self.draft.pop("choices", None)
        if self.draft:
            self.trust.keep_draft(self.channel.network, self.address, self.draft, self.member_id)
        elif self._had_draft:  # (nothing to drop otherwise: no write for a message that needs none)
            self.trust.drop_draft(self.channel.network, self.address)
        return self.out


__all__ = ["AlreadyHandled", "Talk"]
