"""What a handler gets: the stored message, who sent it, where, and ways to write replies to the outbox."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from handlers import budget
from handlers.message import ChannelDirectory
from storage import outbox, people
from storage.models import ChatGroup, Grid, Message, Person

if TYPE_CHECKING:
    from handlers.nlu import Decision, Label


@dataclass
class Context:
    session: Session
    config: Any  # bot.config.Config: handlers read it, never import it
    now: datetime
    message: Message
    sender: Person
    group: ChatGroup | None  # None for a direct chat
    label: "Label | None" = None
    classifier: Any = None
    routes: Any = None  # handlers.router.Routes
    call: Any = None  # handlers.router.CommandCall of a command being run
    channels: ChannelDirectory | None = None
    faq: Any = None  # handlers.faq.Library of this app (None: the process's default one)
    # A staff command typed in a group: its replies go to the sender's direct chat (handlers/router.py)
    private: bool = False
    _sent: int = field(default=0, repr=False)
    _decision: "Decision | None" = field(default=None, repr=False)

    @property
    def decision(self) -> "Decision":
        """What the bot may do with this message's label (public / private / clarify / silent; alert): the one
        gate every intent handler asks before it speaks in a group (handlers/nlu/policy.py)."""
        if self._decision is None:
            from handlers.nlu.policy import decide

            decide_with = getattr(self.classifier, "decide", None)
            self._decision = decide_with(self.label) if decide_with else decide(self.label)
        return self._decision

    @property
    def may_speak(self) -> bool:
        """The message's intent may be answered where it was said: always in a direct chat; in a group only
        when the decision is public."""
        return self.message.is_direct or self.decision.action == "public"
    _told_privately: int = field(default=0, repr=False)

    @property
    def grid(self) -> Grid | None:
        grid_id = self.group.grid_id if self.group else self.sender.grid_id
        return self.session.get(Grid, grid_id) if grid_id else None

    def person(self, person_id: str | None) -> Person | None:
        return self.session.get(Person, person_id) if person_id else None

    def reply(self, text: str, *, mention: list[Person] | None = None, kind: str = "reply",
              case_id: int | None = None) -> None:
        """Answer in the chat the message came from (the group, or the direct chat); in the sender's direct chat
        when ``private`` is set."""
        if self.private:
            self.tell(self.sender, text, kind=kind, case_id=case_id)
            return
        self.reply_here(text, mention=mention, kind=kind, case_id=case_id)

    def reply_here(self, text: str, *, mention: list[Person] | None = None, kind: str = "reply",
                   case_id: int | None = None) -> None:
        """Answer in the chat the message came from, whatever ``private`` says. In a group, within the
        public reply budget (handlers/budget.py); past it the reply is left out."""
        msg = self.message
        if not msg.is_direct and not budget.allows_public_reply(self.session, message=msg, now=self.now):
            return
        mentions = self._mentions(msg.channel, mention)
        self._enqueue(channel=msg.channel, chat_id=msg.chat_id, text=text, is_direct=msg.is_direct,
                      mentions=mentions, kind=kind, case_id=case_id, reply_hint=msg.reply_hint)

    @property
    def told_privately(self) -> bool:
        return self._told_privately > 0

    def post(self, group: ChatGroup, text: str, *, mention: list[Person] | None = None, kind: str = "notice",
             case_id: int | None = None) -> None:
        mentions = self._mentions(group.channel, mention)
        self._enqueue(channel=group.channel, chat_id=group.chat_id, text=text, mentions=mentions,
                      kind=kind, case_id=case_id)

    def tell(self, person: Person | None, text: str, *, kind: str = "alert", case_id: int | None = None) -> None:
        """A direct message to one person, on their own channel."""
        if person is None:
            return
        if self.private and person.id == self.sender.id:
            self._told_privately += 1
        channel, chat_id = people.direct_address(person)
        self._enqueue(channel=channel, chat_id=chat_id, text=text, is_direct=True, kind=kind, case_id=case_id)

    def _mentions(self, channel: str, mention: list[Person] | None) -> list[str]:
        """The channel ids to @-mention: each person's id in that channel's account family, where they have one."""
        family = self.channels.family(channel) if self.channels else None
        found = (people.account_id(self.session, person=p, family=family) for p in mention or [])
        return [m for m in found if m]

    def _enqueue(self, **fields: Any) -> None:
        self._sent += 1
        key = f"msg-{self.message.id}-{self._sent}"
        outbox.enqueue(self.session, now=self.now, idempotency_key=key, **fields)
