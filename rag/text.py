"""Chinese text utilities: normalisation, sentence splitting and the two lexical tokenizers (imports nothing internal)."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

NORMALISATION_ID = "nfkc+opencc-t2s+lower"

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RE = re.compile(f"[{CJK}]")
_SENT_END = re.compile(r"(?<=[。！？；!?;])(?![”’」』）)\"'])|(?<=[。！？；!?;][”’」』）)\"'])|\n+")
_SPACE_RE = re.compile(r"[ \t\u3000\xa0]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if _CJK_RE.search(text) else text


def normalise(text: str) -> str:
    """The form that is indexed and matched: NFKC width folding, traditional→simplified, lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return _SPACE_RE.sub(" ", text).lower().strip()


def match_key(text: str) -> str:
    """For comparisons that ignore white space, width and case (as the eval does)."""
    return re.sub(r"\s+", "", normalise(text))


def split_sentences(text: str) -> list[str]:
    """Split at 。！？； and line breaks; keeps the terminator with its sentence."""
    parts = []
    for raw in _SENT_END.split(text):
        s = raw.strip() if raw else ""
        if s:
            parts.append(s)
    return parts


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


# ---- tokenizers -----------------------------------------------------------------

_STOP = set(
    "的 了 和 与 及 或 在 是 为 对 于 将 把 被 并 等 也 都 而 就 其 这 那 之 以 从 向 到 由 中 上 下 个 有 所 "
    "哪些 哪几 哪 什么 多少 几 怎么 怎样 如何 是否 吗 呢 啊 一般 请问 请 问 能 可以 多长 多大 多久".split()
)
_PUNCT_RE = re.compile(r"^[\W_]+$", re.UNICODE)
_WORD_RE = re.compile(f"[{CJK}]+|[a-z0-9]+(?:\\.[0-9]+)?%?")


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def word_tokens(norm_text: str) -> list[str]:
    """jieba search-mode words of normalised text, stop words and punctuation removed."""
    jb = _jieba()
    out = []
    for w in jb.lcut_for_search(norm_text):
        w = w.strip()
        if not w or w in _STOP or _PUNCT_RE.match(w):
            continue
        out.append(w)
    return out


def word_tokens_plain(norm_text: str) -> list[str]:
    """jieba accurate-mode words (no overlapping sub-words), stop words and punctuation removed."""
    jb = _jieba()
    return [w for w in (x.strip() for x in jb.lcut(norm_text)) if w and w not in _STOP and not _PUNCT_RE.match(w)]


def pos_tags(norm_text: str) -> list[tuple[str, str]]:
    """jieba's words with their part-of-speech tags (nr a person, ns a place, n a noun, v a verb, m a number…), every
    one kept, so that their lengths add up to the text's."""
    _jieba()
    import jieba.posseg as pseg

    return [(w.word, w.flag) for w in pseg.lcut(norm_text)]


def is_common_word(word: str) -> bool:
    """A word jieba's dictionary knows as common (50+ uses) and not as a person's name: 从事 (a verb) is no one's
    name, 刘通 or 朱国军 may be."""
    jb = _jieba()
    import jieba.posseg as pseg

    return jb.dt.FREQ.get(word, 0) >= 50 and not pseg.dt.word_tag_tab.get(word, "").startswith("nr")


def jieba_words(norm_text: str) -> list[str]:
    """jieba accurate-mode words, every one kept (和, 、 …): for reading how words are joined."""
    return [w for w in _jieba().lcut(norm_text) if w.strip()]


def bigram_tokens(norm_text: str) -> list[str]:
    """Character bigrams inside CJK runs, plus whole latin/number words (robust where jieba mis-segments)."""
    out = []
    for run in _WORD_RE.findall(norm_text):
        if _CJK_RE.match(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i : i + 2] for i in range(len(run) - 1))
        else:
            out.append(run)
    return out


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
