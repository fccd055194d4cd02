"""Chunking: sentence packing with overlap, one chunk per law article, content-hash ids."""

from __future__ import annotations

from rag.ingest.chunk import chunk_document, pack
from rag.records import DocMeta, Document
from rag.text import split_sentences


def doc(text: str, doc_type: str = "news") -> Document:
    return Document("d1", "x.txt", "sha", text, DocMeta(title="标题", doc_type=doc_type))


def test_sentences_split_at_chinese_terminators_and_line_breaks():
    assert split_sentences("第一句。第二句！第三句？第四句；\n第五句") == ["第一句。", "第二句！", "第三句？", "第四句；", "第五句"]


def test_pack_respects_size_and_overlaps_one_sentence():
    sents = [f"这是第{i}个句子，内容长度适中用于测试分块。" for i in range(20)]
    chunks = pack(sents, 100, 1)
    assert len(chunks) > 3
    assert all(len(c) <= 100 + len(sents[0]) for c in chunks)
    for a, b in zip(chunks, chunks[1:]):
        last = split_sentences(a)[-1]
        assert b.startswith(last), "the last sentence of a chunk opens the next"
    assert "".join(chunks).count("第19个") >= 1


def test_law_is_split_by_article_with_chapter_and_article_metadata():
    text = "## 第一章 总则\n第一条 为了规范实习，制定本规定。\n第二条 本规定所称实习，包括认识实习和岗位实习。\n（一）认识实习；\n（二）岗位实习。\n## 第二章 组织\n第三条 学校应当统筹安排。"
    chunks = chunk_document(doc(text, "law"), chunk_chars=300, overlap=1, article_max=700)
    assert [c.article for c in chunks] == ["第一条", "第二条", "第三条"]
    assert chunks[1].section == "第一章 总则" and chunks[2].section == "第二章 组织"
    assert "（二）岗位实习" in chunks[1].text, "an article's items stay with it"


def test_long_article_is_split_and_each_part_names_its_article():
    body = "第十条 " + "学校应当加强实习管理，保障学生合法权益。" * 60
    chunks = chunk_document(doc(body, "law"), chunk_chars=300, overlap=1, article_max=400)
    assert len(chunks) > 2 and all(c.article == "第十条" and c.text.startswith("第十条") for c in chunks)


def test_chunk_ids_are_content_hashes():
    text = "青海省推动职业教育发展。全省中职学生升学比例超过50%。"
    a = chunk_document(doc(text), chunk_chars=300, overlap=1, article_max=700)
    b = chunk_document(doc(text), chunk_chars=300, overlap=1, article_max=700)
    c = chunk_document(doc(text.replace("50%", "60%")), chunk_chars=300, overlap=1, article_max=700)
    assert [x.chunk_id for x in a] == [x.chunk_id for x in b]
    assert a[0].chunk_id != c[0].chunk_id


def test_traditional_text_is_normalised_for_search_but_kept_for_display():
    chunks = chunk_document(doc("產教融合發展聯盟在辰泰重鋼召開會議。"), chunk_chars=300, overlap=1, article_max=700)
    assert chunks[0].text.startswith("產教融合") and chunks[0].norm.startswith("产教融合")
    assert chunks[0].embed_text("標題").startswith("標題")


def test_an_article_that_names_another_carries_its_words():
    text = ("第二十二条 职业学校招生不得进行有偿招生。\n学校应当公开招生章程。\n"
            "第二十三条 企业应当履行下列职责：\n（一）接纳学生实习；\n（二）支付实习报酬。\n"
            "第五十五条 违反本条例第二十二条第一款规定的，责令限期改正；情节严重的，处一万元以上五万元以下罚款。\n"
            "第五十六条 违反本条例第二十三条、第五十六条规定的，依法处理。")
    chunks = {c.article: c for c in chunk_document(doc(text, "law"), chunk_chars=300, overlap=1, article_max=700)}
    penalty = chunks["第五十五条"]
    assert "有偿招生" in penalty.refers and "公开招生章程" not in penalty.refers, "the paragraph named, not the article"
    assert "有偿招生" in penalty.lexical and "有偿招生" in penalty.embed_text("青岛市职业教育条例")
    assert "有偿招生" not in penalty.text, "what is quoted stays the article's own text"
    assert "接纳学生实习" in chunks["第五十六条"].refers, "a lead-in ending in a colon brings its items"
    assert "第五十六条" not in chunks["第五十六条"].refers, "an article naming itself adds nothing"
    assert chunks["第二十二条"].refers == ""
    news = chunk_document(doc("违反本条例第二十二条第一款规定的，处罚款。"), chunk_chars=300, overlap=1, article_max=700)
    assert news[0].refers == "", "only a rule's own articles are looked up"
