"""The FAQ's own reading of a question: one normal form, then the terms retrieval counts.

normalise: NFKC, lower case, traditional → simplified, @-mentions and emoji out, dialect and typo
variants and old names to one canonical word (data/synonyms.tsv). Every sample question, answer and
resident's question goes through the same steps, so a variant and its canonical word always meet.

terms: jieba words (a tokenizer of the FAQ's own, with a vocabulary cut down to the knowledge base's words,
so the classifier's shared jieba dictionary is neither loaded twice nor changed) plus character bigrams,
both without stop words. Numbers stay whole (110, 12123, 96110). content_terms: the same without the pairs
that straddle a particle (what coverage is measured on). asks: whether a message is put as a question.
"""
from __future__ import annotations

import logging
import os
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Iterable

DATA = Path(__file__).resolve().parent / "data"
_MENTION = re.compile(r"@[^\s\u2005@]{1,24}(?:[\u2005\s]+|$)")
_STICKER = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_NUMBER = re.compile(r"[0-9]{2,}|[a-z][a-z0-9]+")
_SPACES = re.compile(r"\s+")
MAX_CHARS = 400  # a pasted essay is not a question: only its head is read


@cache
def _opencc():  # noqa: ANN202
    from opencc import OpenCC

    return OpenCC("t2s")


@cache
def _traditional() -> frozenset[str]:
    """Characters OpenCC's t2s table changes: a cheap gate before the slow conversion."""
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", "TSCharacters.txt")
    chars = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 2 and len(parts[0]) == 1 and parts[1].split(" ")[0] != parts[0]:
                chars.add(parts[0])
    return frozenset(chars)


def _read_pairs(name: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            variant, canonical = line.split("\t")[:2]
            pairs.append((variant.strip(), canonical.strip()))
    return tuple(pairs)


@cache
def synonyms() -> dict[str, str]:
    """variant → canonical; chains (A→B, B→C) resolved to A→C, and every canonical maps to itself."""
    pairs = dict(_read_pairs("synonyms.tsv"))
    resolved = {}
    for variant in pairs:
        seen, target = {variant}, pairs[variant]
        while target in pairs and target not in seen:
            seen.add(target)
            target = pairs[target]
        resolved[variant] = target
    for canonical in set(resolved.values()):
        resolved.setdefault(canonical, canonical)
    return resolved


@cache
def _synonym_pattern() -> re.Pattern[str]:
    """One alternation, longest words first: at each place the longest variant or canonical word wins, so a
    canonical word is never rewritten (无犯罪记录证明 stays; 无犯罪记录 becomes it) and one pass is final."""
    words = sorted(synonyms(), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@cache
def stopwords() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").split()
    return frozenset(w for w in lines if not w.startswith("#"))


def simplify(text: str) -> str:
    """Half-width, lower case, simplified characters, no @-mentions, stickers or emoji."""
    text = unicodedata.normalize("NFKC", text[:MAX_CHARS]).lower()
    text = _STICKER.sub(" ", _MENTION.sub(" ", text))
    text = "".join(ch if ch.isascii() or unicodedata.category(ch)[0] in "LNP" else " " for ch in text)
    trad = _traditional()
    if any(ch in trad for ch in text):
        text = _opencc().convert(text)
    return _SPACES.sub(" ", text).strip()


def normalise(text: str) -> str:
    """simplify, then every variant to its canonical word (data/synonyms.tsv); normalise(normalise(x)) ==
    normalise(x)."""
    table, pattern = synonyms(), _synonym_pattern()
    text = simplify(text)
    for _ in range(4):  # a replacement can join its neighbour into a listed word (sfz件 → 身份证件): go on until none does
        done = pattern.sub(lambda m: table[m.group(0)], text)
        if done == text:
            break
        text = done
    return text


@cache
def _tokenizer():  # noqa: ANN202
    """jieba's algorithm over a small dictionary built in memory: the words of jieba's own dictionary that
    occur in the packaged knowledge base, plus data/terms.txt (thousands of words instead of 350 thousand;
    the classifier's shared dictionary is neither loaded twice nor changed)."""
    import io

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(io.BytesIO(_vocabulary().encode("utf-8")))
    tokenizer.initialized = True
    return tokenizer


def _vocabulary() -> str:
    import jieba

    from handlers.faq import kb

    corpus = " ".join(normalise(t) for t in kb.packaged_texts())
    grams = {corpus[i:i + n] for n in range(2, 8) for i in range(len(corpus) - n + 1)}
    lines = []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, freq = line.split(" ", 2)[:2]
            if word in grams or len(word) == 1:
                lines.append(f"{word} {freq}")
    for term in (DATA / "terms.txt").read_text(encoding="utf-8").split():
        if not term.startswith("#"):
            lines.append(f"{normalise(term)} 3000")
    return "\n".join(lines)


def words(text: str) -> list[str]:
    """jieba words of a normalised text, stop words and punctuation out."""
    stop = stopwords()
    out = []
    for word in _tokenizer().lcut(text, HMM=False):
        word = word.strip()
        if len(word) > 1 and word not in stop and any(ch.isalnum() for ch in word):
            out.append(word)
    return out


def bigrams(text: str) -> list[str]:
    """Character pairs of each run of Chinese characters, stop-word pairs left out."""
    stop = stopwords()
    return [g for run in _CJK_RUN.findall(text) for g in (run[i:i + 2] for i in range(len(run) - 1)) if g not in stop]


def content_bigrams(text: str) -> set[str]:
    """The pairs that carry content: runs split at stop words and function characters first, so "证要" or
    "有什" (a word's tail and a particle) are not among them."""
    return {run[i:i + 2] for run in content_runs(text) for i in range(len(run) - 1)}


def content_runs(text: str) -> list[str]:
    for word in _stop_phrases():
        if word in text:
            text = text.replace(word, " ")
    text = "".join(" " if ch in _FUNCTION_CHARS else ch for ch in text)
    return _CJK_RUN.findall(text)


@cache
def _stop_phrases() -> tuple[str, ...]:
    return tuple(sorted((w for w in stopwords() if len(w) > 1), key=len, reverse=True))


_FUNCTION_CHARS = frozenset("的了吗呢吧啊呀哦哈嘛啦呗咯么着过地和与及或我你您他她它这那是在有就都也还又要想会能去来到把被给对从向让跟请问下个些")


@lru_cache(maxsize=8192)
def terms(text: str) -> tuple[str, ...]:
    """What BM25 counts: 'w:' jieba words, 'b:' character bigrams, 'n:' numbers and Latin words."""
    norm = normalise(text)
    found = ["w:" + w for w in words(norm)]
    found += ["b:" + g for g in bigrams(norm)]
    found += ["n:" + n for n in _NUMBER.findall(norm)]
    return tuple(found)


@lru_cache(maxsize=8192)
def content_terms(text: str) -> frozenset[str]:
    """The terms of a question that say what it is about (what coverage is measured on)."""
    norm = normalise(text)
    found = {"w:" + w for w in words(norm)} | {"b:" + g for g in content_bigrams(norm)}
    return frozenset(found | {"n:" + n for n in _NUMBER.findall(norm)})


_ASKING = re.compile(
    r"[?？]|吗|[怎咋啥哪谁]|(?<!好)几|如何|什么|多少|多久|多长|多远|是否|能否|可否|有没有|能不能|可不可以|要不要|会不会|"
    r"行不行|是不是|用不用|需不需要|请问|咨询|想问|问一下|问下|求问|不知道|呢|吧$|[啊呀嘛咧]$|未$|干嘛|"
    # A-not-A (认不认, 开不开), a question put with a trailing 不 or 没 (能改不, 做好没), a choice (A还是B)
    r"([\u4e00-\u9fff])[不没]\1|[^不]不(?=$|[,，。!！])|(好|了|完)没(有)?(?=$|[,，。!！])|还是|"
    # Cantonese 点 = how (点补, 点样): not after 一/早/快/有/差 (一点, 早点)
    r"(?<![一早快晚有差两])点(补|办|换|搞|整|弄|去|走|坐|申请|处理|开)|"
    r"(想|要|需要|打算|准备|得)(马上|赶紧|尽快|先|再)?(去|给|帮|替)?(孩子|老人|家里人|他|她|我|我妈|我爸)?"
    r"(办|开|补|换|迁|改|分|立|销|注销|借|登记|申请|上户|报户|报个|落户|领|查|挂失|续|签注)|"
    # a wish a few words before what is to be done (想从爸妈户口簿上分出来, 打算在新房单独立户)
    r"(想|打算|准备)[^,，。!！]{0,8}(办|补办|换|迁|改|分出|分开|单独|立户|注销|登记|申请|落户|挂失|签注)")


def asks(text: str) -> bool:
    """Whether a message is put as a question or a request: a question word or mark, a wish to get
    something done (“想给孩子办身份证”), or a bare short phrase (“身份证补办”). Statements
    (“已经装好反诈app了”) are not."""
    norm = normalise(text)
    return bool(_ASKING.search(norm)) or len(norm) <= 10


def asks_explicitly(text: str) -> bool:
    """A question word, mark or request: what a part of a longer message needs to count as a question."""
    return bool(_ASKING.search(normalise(text)))


def warm_up(texts: Iterable[str] = ("居住证怎么办",)) -> None:
    for text in texts:
        terms(text)
