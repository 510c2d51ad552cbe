"""spaCy's rule-based sentence splitting on the benchmark corpus, for comparison.

No trained spaCy pipeline (and so no NER) can be installed offline here: the models are not on
PyPI. This times spacy.blank("en") + sentencizer, i.e. tokenisation and sentence splitting only,
which is a lower bound on what a spaCy NER pipeline would cost.
"""
import pathlib
import resource
import sys
import time

import spacy

texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))]
mb = sum(len(t.encode()) for t in texts) / 1e6
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
start = time.perf_counter()
sentences = sum(len(list(doc.sents)) for doc in nlp.pipe(texts, batch_size=256))
secs = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"spaCy {spacy.__version__} blank('en') + sentencizer, 1 process: {secs:.2f} s, "
      f"{len(texts) / secs:.0f} articles/s, {mb / secs:.2f} MB/s, {sentences} sentences, peak {peak:.0f} MB")
