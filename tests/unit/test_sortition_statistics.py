"""Each member is drawn as often as the reported probability says (4,000 fixed seeds: never flaky)."""

import math
import random

from domain.insight.sortition import Lottery, Quota

DRAWS = 4000


def test_empirical_frequencies_match_the_reported_probabilities():
    rng = random.Random(2026)
    pool = {
        f"member-{i:02d}": {
            "area": rng.choices(["CA1", "CA2", "CA3", "LA9"], weights=[5, 3, 2, 1])[0],
            "age-band": rng.choices(["16-34", "35-64", "65+"], weights=[1, 3, 2])[0],
            "gender": rng.choices(["woman", "man", "non-binary"], weights=[10, 9, 1])[0],
        }
        for i in range(40)
    }
    quotas = [
        Quota("area", "CA1", 3, 4),
        Quota("area", "CA3", 1, 2),
        Quota("area", "LA9", 1, 2),
        Quota("age-band", "16-34", 2, 3),
        Quota("age-band", "65+", 2, 3),
        Quota("gender", "woman", 4, 4),
    ]
    lottery = Lottery(pool, quotas, 8)
    assert lottery.lowest < lottery.highest  # the quotas bind: chances differ
    chosen = dict.fromkeys(pool, 0)
    for seed in range(DRAWS):
        panel = lottery.sample(seed)
        for q in quotas:
            assert q.minimum <= sum(pool[m][q.attribute] == q.value for m in panel) <= q.maximum
        for member in panel:
            chosen[member] += 1
    for member, p in lottery.probabilities.items():
        tolerance = 4.5 * math.sqrt(p * (1 - p) / DRAWS) + 1e-3
        assert abs(chosen[member] / DRAWS - p) <= tolerance, (member, chosen[member] / DRAWS, p)
