"""langdetect's ``Detector`` with its sampling loop on numpy rows: the same verdicts, bit for bit.

``Detector._detect_block`` spends most of its time multiplying 55 probabilities by an
n-gram's profile row in a Python loop. Here each row is a float64 array (made once per
n-gram and detector class) and the loop does the same IEEE operations in the same order:
``prob[i] * (weight + row[i])`` element-wise, ``sum`` of the Python floats left to right
for normalisation, the same random draws (``choice``, ``gauss``) from the same seed.
``tests/test_langid.py`` checks the probabilities are identical to langdetect's own.
"""

from __future__ import annotations

from typing import Any

# Rows kept per detector class before the memo is emptied (a bound on its memory).
NGRAM_ROWS_LIMIT = 200_000


def fast_detector_class(rows_limit: int = NGRAM_ROWS_LIMIT) -> type:
    """A new subclass of langdetect's ``Detector`` with the numpy loop.

    Each class made here has its own memo of n-gram rows (pure data derived from the
    loaded profiles), shared by the detectors it makes: the backend that owns the class
    owns the memo.
    """
    import numpy as np
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    ngram_rows: dict[str, Any] = {}  # n-gram -> its profile row as a numpy array

    class FastDetector(Detector):
        def _detect_block(self) -> None:
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            if len(ngram_rows) > rows_limit:
                ngram_rows.clear()
            rows = {}
            for gram in set(ngrams):
                row = ngram_rows.get(gram)
                if row is None:
                    row = ngram_rows[gram] = np.array(self.word_lang_prob_map[gram], dtype=np.float64)
                rows[gram] = row
            langprob = [0.0] * len(self.langlist)
            rnd = self.random
            rnd.seed(self.seed)
            choice = rnd.choice
            conv, limit, trials = self.CONV_THRESHOLD, self.ITERATION_LIMIT, self.n_trial
            for _ in range(trials):
                prob = np.array(self._init_probability(), dtype=np.float64)
                alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                weight = alpha / self.BASE_FREQ
                i = 0
                while True:
                    prob *= weight + rows[choice(ngrams)]
                    if i % 5 == 0:
                        prob /= sum(prob.tolist())
                        if prob.max() > conv or i >= limit:
                            break
                    i += 1
                langprob = [a + p / trials for a, p in zip(langprob, prob.tolist(), strict=True)]
            self.langprob = langprob

    return FastDetector
