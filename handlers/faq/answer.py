"""Words of a reply: one answer, or several in one message, with the station's details filled in and added
underneath only where the answers do not already carry them."""
from __future__ import annotations

from typing import Any, Sequence

from handlers import texts
from handlers.faq.kb import PLACEHOLDERS, Topic

NUMBERS = "①②③④⑤"


class _Keep(dict):
    def __missing__(self, key: str) -> str:  # an unknown {placeholder} stays as written
        return "{" + key + "}"


def station_info(station: Any) -> dict[str, str]:
    return {"station": station.name, "address": station.address or texts.FAQ_ASK_STATION,
            "hours": station.hours or texts.FAQ_ASK_STATION, "phone": station.phone or texts.FAQ_ASK_STATION}


def fill(answer: str, info: dict[str, str]) -> str:
    try:
        return answer.format_map(_Keep(info))
    except (ValueError, IndexError):  # a stray brace in an officer's text: show it as written
        return answer


def compose(topics: Sequence[Topic], station: Any, officer_name: str) -> str:
    """One reply for one or several topics: each answer under its title, then the station's details that
    the answers left out (address, hours, phone), then where to ask more."""
    info = station_info(station)
    bodies = [fill(t.answer, info) for t in topics]
    if len(topics) == 1:
        text = texts.FAQ_ONE.format(title=topics[0].title, answer=bodies[0])
    else:
        parts = [texts.FAQ_PART.format(no=NUMBERS[i], title=t.title, answer=b)
                 for i, (t, b) in enumerate(zip(topics, bodies))]
        text = texts.FAQ_SEVERAL.format(n=len(topics)) + "\n\n".join(parts)
    if any(t.footer for t in topics):
        text += footer(text, info)
    return text + texts.FAQ_MORE.format(officer=officer_name)


def footer(text: str, info: dict[str, str]) -> str:
    missing = [texts.FAQ_STATION_PARTS[k].format(**info) for k in PLACEHOLDERS[1:] if info[k] not in text]
    if not missing:
        return ""
    return texts.FAQ_STATION.format(station=info["station"], details="；".join(missing))


def options_text(topics: Sequence[Topic]) -> str:
    choices = " ".join(f"{i} {t.title}" for i, t in enumerate(topics, start=1))
    return texts.FAQ_CLARIFY.format(choices=choices, n=len(topics))
