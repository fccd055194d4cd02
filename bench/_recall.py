from rag.evaluate import load_jsonl
from rag.service import Assistant
from rag.query import parse_query
from rag.text import match_key
a=Assistant(); r=a.retriever
qs=[q for q in load_jsonl('bench/sets/tune.jsonl') if q['answerable']]
import collections
c=collections.Counter()
for qd in qs:
    q=parse_query(qd['question'])
    hits=r.search(q, k=12)
    ev=[match_key(e) for e in qd['evidence_any']]
    rank=next((i for i,h in enumerate(hits,1) if any(e in match_key(h.chunk.text) for e in ev)), None)
    for k in (1,3,6,8,10,12):
        c[k]+= rank is not None and rank<=k
print({k: f"{v/len(qs):.3f}" for k,v in sorted(c.items())}, len(qs))
