import collections, random
from bench.calibrate import collect
from rag.evaluate import load_jsonl, key
from rag.service import Assistant
from rag.evidence import rank
from rag.answer import extractive_answer
a=Assistant()
qs=load_jsonl('../shared/eval/cmrc2018/questions.jsonl')
random.Random(1).shuffle(qs); qs=qs[:300]
rows=collect(a, qs)
m=a.model
cat=collections.Counter(); types=collections.Counter(); bytype=collections.defaultdict(collections.Counter)
ex=collections.defaultdict(list)
for qd,q,hits,cands,labels in rows:
    rank(cands, m)
    ans=extractive_answer(q,hits,m,a.retriever.idf)
    ok = not ans.refused and any(key(x) in key(ans.answer) for x in qd['answer_any'])
    inhits = any(any(key(x) in key(h.chunk.text) for x in qd['answer_any']) for h in hits)
    top = cands[0] if cands else None
    intop = top is not None and any(key(x) in key(top.simple) for x in qd['answer_any'])
    anyc = any(any(key(x) in key(c.simple) for x in qd['answer_any']) for c in cands)
    c = 'ok' if ok else ('refused' if ans.refused else 'wrong')
    sub = c if ok else f"{c}/{'nohit' if not inhits else 'nocand' if not anyc else 'lower' if not intop else 'top-but-trimmed'}"
    cat[sub]+=1; bytype[q.answer_type.value][sub]+=1
    ex[sub].append((qd['question'], qd['answer_any'][0], ans.answer[:80]))
print(cat)
for t,cn in bytype.items(): print(t, dict(cn))
for k in ['wrong/top-but-trimmed','refused/top-but-trimmed','refused/lower','wrong/lower','refused/nocand']:
    print('==',k)
    for e in ex[k][:8]: print('  ',e)
