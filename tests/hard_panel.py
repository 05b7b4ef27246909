"""Hard panel requests.

The one that hung the store (issue 13): 20 quotas over all four profile attributes, a pool of 500, a
panel of 100. Census-like shares, older members over-represented as in volunteer pools, quotas at each
value's census share give or take 15 %: a few hundred member types. The leximin column generation took
tens of seconds on it; since the draw rounds the relaxation's leximin point (issue 20) it takes about a
second, so a test may find it drawn or refused.

A county-wide one that is still hard (``county_profiles``, ``county_quotas``): 20,000 members over
30 areas, 7 age bands, 4 genders and 5 household sizes, every value quoted, a panel of 100: about 2,500
types, and about 30 s to draw on the 2-core machine, far past the tests' time limits."""

import random

from domain.insight.sortition import Quota

SIZE, POOL = 100, 500
CENSUS = {  # value: share of the population, in percent
    "area": {"CA1": 30, "CA2": 18, "CA3": 14, "CA11": 12, "LA9": 10, "LA12": 8, "CA28": 6, "CA17": 2},
    "age-band": {"16-24": 10, "25-34": 14, "35-44": 15, "45-54": 17, "55-64": 18, "65-74": 16, "75+": 10},
    "gender": {"woman": 50, "man": 47, "non-binary": 2, "another-way": 1},
    "household": {"1": 30, "2": 28, "3": 15, "4": 17, "5+": 10},
}
SKEW = {"age-band": {"16-24": 0.4, "25-34": 0.6, "55-64": 1.6, "65-74": 2.0, "75+": 1.5}}
QUOTED = {"area": 5, "age-band": 7, "gender": 3, "household": 5}  # the first n values of each: 20 quotas


def hard_profiles(members: int = POOL, seed: int = 11) -> list[dict[str, str]]:
    rng = random.Random(seed)
    profiles = []
    for _ in range(members):
        profile = {}
        for attribute, shares in CENSUS.items():
            weights = [share * SKEW.get(attribute, {}).get(value, 1.0) for value, share in shares.items()]
            profile[attribute] = rng.choices(list(shares), weights=weights)[0]
        profiles.append(profile)
    return profiles


def hard_quotas(size: int = SIZE) -> tuple[Quota, ...]:
    quotas = []
    for attribute, count in QUOTED.items():
        for value in list(CENSUS[attribute])[:count]:
            target = size * CENSUS[attribute][value] / 100
            quotas.append(Quota(attribute, value, int(target * 0.85), int(target * 1.15) + 1))
    return tuple(quotas)


AREAS = 30


def county_profiles(members: int = 20_000, seed: int = 5) -> list[dict[str, str]]:
    rng = random.Random(seed)
    shares = {**CENSUS, "area": {f"CA{i:02d}": 1.0 + (i % 7) for i in range(1, AREAS + 1)}}
    return [
        {attribute: rng.choices(list(values), weights=list(values.values()))[0] for attribute, values in shares.items()}
        for _ in range(members)
    ]


def county_quotas(size: int = SIZE) -> tuple[Quota, ...]:
    shares = {**CENSUS, "area": {f"CA{i:02d}": 1.0 + (i % 7) for i in range(1, AREAS + 1)}}
    quotas = []
    for attribute, values in shares.items():
        total = sum(values.values())
        for value, share in values.items():
            target = size * share / total
            quotas.append(Quota(attribute, value, int(target * 0.85), int(target * 1.15) + 1))
    return tuple(quotas)
