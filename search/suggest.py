"""Presentation: "did you mean", for queries that find little because a word is misspelled."""

from __future__ import annotations

from search.analysis import tokens
from search.executor import Executor
from search.facets import FacetColumns
from search.query_builder import QueryBuilder
from search.querylang import ParsedQuery, Text, parse
from search.ranking import evaluate


def suggest(parsed: ParsedQuery, total: int, builder: QueryBuilder, executor: Executor, searcher,
            facets: FacetColumns) -> dict | None:
    words = [c.node.text for c in parsed.clauses()
             if isinstance(c.node, Text) and not c.node.phrase and not c.node.prefix and not c.negated]
    if not words:
        return None
    corrector = searcher.corrector("body_fold")
    changed, fixed = False, []
    for word in words:
        folded = tokens("folded", word)
        if len(folded) == 1 and len(folded[0]) >= 4 and searcher.reader().doc_frequency("body_fold", folded[0]) == 0:
            suggestions = corrector.suggest(folded[0], limit=1, maxdist=2)
            if suggestions and suggestions[0] != folded[0]:
                fixed.append(suggestions[0])
                changed = True
                continue
        fixed.append(word)
    if not changed:
        return None
    q = " ".join(fixed)
    plan = builder.plan(parse(q), "all")
    count = int(evaluate(plan, executor, facets).mask.sum()) if plan.query is not None else 0
    return {"q": q, "total": count} if count > total else None
