import sys, json
from bench.calibrate import collect
from rag.evaluate import load_jsonl
from rag.service import Assistant
from rag.evidence import score
a=Assistant()
qs=[q for q in load_jsonl('bench/sets/tune.jsonl') if q['answerable']]
rows=collect(a, qs)
m=a.model
none=0; top=0; lower=0; nocand=0
for qd,q,hits,cands,labels in rows:
    if not cands: nocand+=1; print('NOCAND', qd['id'], qd['question']); continue
    for c in cands: c.score=m.probability(c.features)
    order=sorted(range(len(cands)), key=lambda i:-cands[i].score)
    if not any(labels): none+=1; print('NOPOS', qd['id'], q.answer_type.value, qd['question']); continue
    if labels[order[0]]: top+=1
    else: lower+=1
print(f"answerable {len(rows)}: positive at top {top}, positive lower {lower}, no positive candidate {none}, no candidates {nocand}")
print("---- lower")
for qd,q,hits,cands,labels in rows:
    if not cands or not any(labels): continue
    order=sorted(range(len(cands)), key=lambda i:-cands[i].score)
    if labels[order[0]]: continue
    t=cands[order[0]]; p=max((cands[i] for i in range(len(cands)) if labels[i]), key=lambda c:c.score)
    print(f"== {qd['id']} {q.answer_type.value} m={q.measure} f={q.focus} {qd['question']}")
    for tag,c in (("TOP",t),("POS",p)):
        f=c.features
        print(f"  {tag} {c.score:.2f} {c.simple[:60]} | span={c.spans[0].text if c.spans else '-'} s{f['s_cov']:.2f} c{f['ctx_cov']:.2f} sc{f['span_cov']:.2f} mm{f['measure_match']:.0f} d{f['dense']:.2f} r{f['rr_fused']:.2f}")
