import collections, statistics
from bench.calibrate import collect
from rag.evaluate import load_jsonl
from rag.service import Assistant
from rag.evidence import rank, FIGURE_OR_DATE
a=Assistant()
qs=load_jsonl('bench/sets/tune.jsonl')
rows=collect(a, qs)
m=a.model
groups=collections.defaultdict(list)
for qd,q,hits,cands,labels in rows:
    if not cands or q.answer_type not in FIGURE_OR_DATE: continue
    for c in cands: c.score=m.rank(c.features)
    order=sorted(range(len(cands)), key=lambda i:-cands[i].score)
    top=cands[order[0]]; lab=labels[order[0]]
    g = 'unans' if not qd['answerable'] else ('right' if lab else 'wrong')
    groups[g].append((q, top))
for g, items in groups.items():
    print(g, len(items))
    for f in ['focus_near','measure_match','span_cov','rare_cov','s_cov','ctx_cov','type_match']:
        vals=[t.features[f] for q,t in items]
        print(f"   {f:<14} mean {statistics.mean(vals):.2f}  zero {sum(v<=0 for v in vals)/len(vals):.2f}")
    hasfocus=sum(bool(q.focus) for q,t in items); print('   has focus', hasfocus, 'focus_near>0 given focus', sum(bool(q.focus) and t.features['focus_near']>0 for q,t in items))
