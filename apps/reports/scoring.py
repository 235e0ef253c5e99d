"""How much the reports about a number say: the one place for its evidence, confidence and public threshold.

As PhoneBlock does, each reporter is one unit of evidence per number however often they report it, and the
spam confidence is the lower bound of the Wilson score interval, so a handful of reports cannot look certain.
"""

import math

# DESIGN §2.3: a number is public only after R=3 distinct reporters, so one person cannot get a legitimate
# number blocklisted. It is compared with the weighted evidence, not the raw count of reporters, so three
# throwaway accounts (half a unit each) are not enough either.
PUBLIC_THRESHOLD = 3
# A reporter with neither a verified phone nor an exposure to a breach may be anyone with an e-mail address.
LOW_WEIGHT = 0.5
Z_95 = 1.959963984540054


def evidence_of(*, reporters: int, full_weight_reporters: int) -> float:
    """Weighted evidence: 1 per reporter with at least one full-weight report, LOW_WEIGHT per other reporter."""
    return full_weight_reporters + LOW_WEIGHT * (reporters - full_weight_reporters)


def wilson_lower_bound(positive: float, negative: float, z: float = Z_95) -> float:
    """Lower bound of the Wilson score interval for the share of `positive` in positive + negative; 0 with none."""
    n = positive + negative
    if n <= 0:
        return 0.0
    p = positive / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z * z / n))


def is_public(*, evidence: float, allowlisted: bool) -> bool:
    """The allowlist wins over any number of reports."""
    return not allowlisted and evidence >= PUBLIC_THRESHOLD
