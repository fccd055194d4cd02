"""The project's error hierarchy: each error names the file or setting at fault and the fix."""

from __future__ import annotations


class RagError(Exception):
    """Base class; `user_message` is the short Chinese text shown at the edge (CLI, UI)."""

    user_message = "处理请求时出错。"

    def __init__(self, message: str, *, user_message: str | None = None):
        super().__init__(message)
        if user_message is not None:
            self.user_message = user_message


class DocumentError(RagError):
    """A single input document could not be read; other documents are unaffected."""

    user_message = "文件无法读取。"

    def __init__(self, path: str, reason: str, *, user_message: str | None = None):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}", user_message=user_message or f"文件“{_short(path)}”无法读取：{reason}")


class UnsupportedFormatError(DocumentError):
    pass


class EmptyDocumentError(DocumentError):
    pass


class UserInputError(RagError):
    """A question, filter or file the user gave that cannot be used as it is; the message says what to change."""

    user_message = "输入有误。"

    def __init__(self, message: str, *, user_message: str | None = None):
        super().__init__(message, user_message=user_message or message)


class IndexMismatchError(RagError):
    user_message = "索引与当前设置不一致，请重建索引：python -m rag ingest --rebuild"


class IndexMissingError(RagError):
    user_message = "还没有建立索引，请先运行：python -m rag ingest"


class ChromaUnavailableError(RagError):
    user_message = "无法连接向量数据库服务器，请检查 Chroma 服务是否已启动。"


class ConfigError(RagError):
    user_message = "配置有误，请检查设置。"


class LLMError(RagError):
    user_message = "大模型服务暂时不可用，已改用抽取式回答。"


def _short(path: str, limit: int = 60) -> str:
    name = str(path).replace("\n", " ")
    return name if len(name) <= limit else name[: limit - 1] + "…"
