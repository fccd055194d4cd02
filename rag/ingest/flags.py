"""Sentences that must never be quoted as an answer, flagged at ingest: site boilerplate, and instructions addressed
to an assistant (a document is quoted, never obeyed). They stay in the index and can still be shown, marked."""

from __future__ import annotations

import re

from rag.text import normalise, split_sentences

BOILERPLATE = "boilerplate"
INSTRUCTION = "instruction"
FLAG_LABELS = {BOILERPLATE: "网站套话", INSTRUCTION: "疑似对助手的指令（不执行）"}

_BOILERPLATE = re.compile(
    r"感谢(你|您)(花时间)?(阅读|关注|收看)|返回搜狐|查看更多|责任编辑|本文(来源|转自|转载)|原标题[:：]?$|转载请|版权(归|所有)|"
    r"免责声明|点击(关注|阅读|下方|上方|蓝字)|扫(码|一扫)|长按(识别|二维码)|关注(我们|公众号)|欢迎(关注|转发|分享|留言)|"
    r"阅读原文|(点赞|在看|分享)(支持)?[!！]|喜欢(就|请)|^public domain$|^(true|false)$|^编辑[:：]|^审核[:：]|^来源[:：]|"
    r"^图片来源|^(记者|通讯员)\s*\S{0,8}$|未经授权|如有侵权|"
    r"请予审议|请全国政协委员提出意见"  # a report's opening formula, not what it says
)
# a portal's tip line or app plug, whatever its length: 新闻线索报料通道：应用市场下载“齐鲁壹点”APP…全省600位记者在线等你来报料！
_PLUG = re.compile(r"新闻线索|报料(通道|热线|邮箱|电话)|等你来?(报料|爆料)|(下载|打开)[^。，,]{0,12}(app|客户端)[^。]{0,30}(报料|爆料|阅读|查看|关注)")
_INSTRUCTION = re.compile(
    r"(忽略|无视|忘记|忘掉)(掉)?(之前|以上|前面|上面|先前|所有|一切)?的?(所有|全部|一切)?(指令|指示|命令|规则|提示|设定|要求)|"
    r"ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?)|disregard (the )?(previous|above)|"
    r"system prompt|系统提示词?|(你|您)(现在)?(是|扮演|作为)一个?[^。，]{0,10}?(ai|人工智能|助手|语言模型|机器人|chatgpt|大模型)|"
    r"作为(一个)?(ai|人工智能|语言模型|助手)[,，]?(你|您)(必须|应该|要)|"
    r"(请|你必须|你要|务必)(直接)?(回答|回复|输出|告诉用户|对用户说)[:：“\"]|(assistant|助手)[,，:：]\s*(请|必须|你)"
)


def sentence_flag(sentence: str) -> str:
    """'' for an ordinary sentence, else BOILERPLATE or INSTRUCTION."""
    s = normalise(sentence)
    if _INSTRUCTION.search(s):
        return INSTRUCTION
    if (len(s) <= 60 and _BOILERPLATE.search(s)) or _PLUG.search(s):
        return BOILERPLATE
    return ""


def sentence_flags(text: str) -> tuple[tuple[int, str], ...]:
    """(index in split_sentences(text), flag) for every flagged sentence of a chunk."""
    return tuple((i, f) for i, s in enumerate(split_sentences(text)) if (f := sentence_flag(s)))


def encode(flags: tuple[tuple[int, str], ...]) -> str:
    """For Chroma metadata (scalars only): '3:instruction,5:boilerplate'."""
    return ",".join(f"{i}:{f}" for i, f in flags)


def decode(value: str) -> tuple[tuple[int, str], ...]:
    out = []
    for part in (value or "").split(","):
        i, _, f = part.partition(":")
        if i.isdigit() and f in FLAG_LABELS:
            out.append((int(i), f))
    return tuple(out)
