"""NIST SP 800-22 rev1a statistical tests on a bit stream (numpy array of 0/1).

Implemented from the formulas of SP 800-22 rev1a (April 2010), sections 2.1 (frequency),
2.2 (block frequency), 2.3 (runs), 2.4 (longest run of ones), 2.11 (serial),
2.12 (approximate entropy) and 2.13 (cumulative sums). igamc is
``scipy.special.gammaincc`` (the regularised upper incomplete gamma), erfc is
``scipy.special.erfc``. Each test is checked against the worked examples of the
document's section 2.x.8 in ``tests/rng_audit/test_nist.py``.

Which bit stream to feed is the caller's choice (e.g. the dealer RNG's raw output, or
bits extracted from deals); these functions only see bits.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

from frontal.rng_audit.result import TestResult

RANDOM_BITS = "the bits are independent and each is 1 with probability 1/2"


def as_bits(bits: np.ndarray | str) -> np.ndarray:
    """Accept an array of 0/1 or a string of '0'/'1' (whitespace ignored); return int8 array."""
    if isinstance(bits, str):
        s = "".join(bits.split())
        arr = np.frombuffer(s.encode("ascii"), dtype=np.uint8) - ord("0")
    else:
        arr = np.asarray(bits)
    if arr.ndim != 1 or not np.all((arr == 0) | (arr == 1)):
        raise ValueError("expected a 1-D sequence of 0/1")
    return arr.astype(np.int8)


def frequency(bits: np.ndarray | str) -> TestResult:
    """2.1 Monobit: S_n = sum(2e-1), s_obs = |S_n|/sqrt(n), P = erfc(s_obs/sqrt(2))."""
    e = as_bits(bits)
    n = e.size
    s = int(2 * e.sum() - n)
    s_obs = abs(s) / math.sqrt(n)
    return TestResult("nist_frequency", RANDOM_BITS, s_obs, None, float(special.erfc(s_obs / math.sqrt(2))),
                      {"n": n, "S_n": s})


def block_frequency(bits: np.ndarray | str, m: int = 128) -> TestResult:
    """2.2 Frequency within blocks of M bits: chi2 = 4M sum(pi_i - 1/2)^2, P = igamc(N/2, chi2/2)."""
    e = as_bits(bits)
    n_blocks = e.size // m
    pi = e[: n_blocks * m].reshape(n_blocks, m).mean(axis=1)
    chi2 = float(4 * m * ((pi - 0.5) ** 2).sum())
    return TestResult("nist_block_frequency", RANDOM_BITS, chi2, float(n_blocks),
                      float(special.gammaincc(n_blocks / 2, chi2 / 2)), {"M": m, "N": n_blocks})


def runs(bits: np.ndarray | str) -> TestResult:
    """2.3 Runs: V_n = 1 + #changes; P = erfc(|V - 2n pi(1-pi)| / (2 sqrt(2n) pi(1-pi))).

    Prerequisite (2.3.4 step 2): if |pi - 1/2| >= 2/sqrt(n) the frequency test has already
    failed and the runs test is not run: P = 0 as in the reference implementation.
    """
    e = as_bits(bits)
    n = e.size
    pi = e.mean()
    if abs(pi - 0.5) >= 2 / math.sqrt(n):
        return TestResult("nist_runs", RANDOM_BITS, float("nan"), None, 0.0, {"n": n, "pi": float(pi), "prerequisite_failed": True})
    v = 1 + int(np.count_nonzero(e[1:] != e[:-1]))
    p = special.erfc(abs(v - 2 * n * pi * (1 - pi)) / (2 * math.sqrt(2 * n) * pi * (1 - pi)))
    return TestResult("nist_runs", RANDOM_BITS, float(v), None, float(p), {"n": n, "pi": float(pi)})


# 2.4.4 / 3.4: class boundaries (v_0 = "<= first", last = ">= last") and probabilities.
_LONGEST_RUN_TABLES = {
    8: (1, 4, [0.2148, 0.3672, 0.2305, 0.1875]),
    128: (4, 9, [0.1174, 0.2430, 0.2493, 0.1752, 0.1027, 0.1124]),
    10000: (10, 16, [0.0882, 0.2092, 0.2483, 0.1933, 0.1208, 0.0675, 0.0727]),
}


def _longest_runs(blocks: np.ndarray) -> np.ndarray:
    longest = np.zeros(blocks.shape[0], dtype=np.int64)
    current = np.zeros(blocks.shape[0], dtype=np.int64)
    for j in range(blocks.shape[1]):
        current = np.where(blocks[:, j] == 1, current + 1, 0)
        np.maximum(longest, current, out=longest)
    return longest


def longest_run_of_ones(bits: np.ndarray | str) -> TestResult:
    """2.4 Longest run of ones in M-bit blocks; M by n as in 2.4.2 (8 / 128 / 10^4).

    chi2 = sum (v_i - N pi_i)^2 / (N pi_i), P = igamc(K/2, chi2/2).
    """
    e = as_bits(bits)
    n = e.size
    if n < 128:
        raise ValueError("the longest-run test needs at least 128 bits")
    m = 8 if n < 6272 else 128 if n < 750000 else 10000
    lo, hi, probs = _LONGEST_RUN_TABLES[m]
    k = len(probs) - 1
    n_blocks = n // m
    lr = _longest_runs(e[: n_blocks * m].reshape(n_blocks, m))
    v = np.bincount(np.clip(lr, lo, hi) - lo, minlength=k + 1)
    expected = n_blocks * np.array(probs)
    chi2 = float(((v - expected) ** 2 / expected).sum())
    return TestResult("nist_longest_run", RANDOM_BITS, chi2, float(k), float(special.gammaincc(k / 2, chi2 / 2)),
                      {"M": m, "N": n_blocks, "K": k, "v": v.tolist()})


def _pattern_counts(e: np.ndarray, m: int) -> np.ndarray:
    """Counts of the 2^m overlapping m-bit patterns, the sequence wrapped around (m-1 bits)."""
    if m <= 0:
        return np.zeros(0, dtype=np.int64)
    n = e.size
    ext = np.concatenate([e, e[: m - 1]]).astype(np.int64)
    idx = np.zeros(n, dtype=np.int64)
    for j in range(m):
        idx = (idx << 1) | ext[j : j + n]
    return np.bincount(idx, minlength=1 << m)


def _psi2(e: np.ndarray, m: int) -> float:
    if m <= 0:
        return 0.0
    v = _pattern_counts(e, m).astype(float)
    return float((1 << m) / e.size * (v**2).sum() - e.size)


def serial(bits: np.ndarray | str, m: int = 16) -> tuple[TestResult, TestResult]:
    """2.11 Serial: psi2_m = 2^m/n sum v^2 - n; P1 = igamc(2^(m-2), d/2), P2 = igamc(2^(m-3), d2/2)."""
    e = as_bits(bits)
    p0, p1, p2 = _psi2(e, m), _psi2(e, m - 1), _psi2(e, m - 2)
    d1 = p0 - p1
    d2 = p0 - 2 * p1 + p2
    a1, a2 = 2.0 ** (m - 2), 2.0 ** (m - 3)
    detail = {"m": m, "psi2_m": p0, "psi2_m-1": p1, "psi2_m-2": p2}
    return (
        TestResult("nist_serial_1", RANDOM_BITS, d1, 2 * a1, float(special.gammaincc(a1, d1 / 2)), detail),
        TestResult("nist_serial_2", RANDOM_BITS, d2, 2 * a2, float(special.gammaincc(a2, d2 / 2)), detail),
    )


def _phi(e: np.ndarray, m: int) -> float:
    c = _pattern_counts(e, m) / e.size
    c = c[c > 0]
    return float((c * np.log(c)).sum())


def approximate_entropy(bits: np.ndarray | str, m: int = 10) -> TestResult:
    """2.12 ApEn(m) = phi_m - phi_{m+1}; chi2 = 2n(ln 2 - ApEn); P = igamc(2^(m-1), chi2/2)."""
    e = as_bits(bits)
    n = e.size
    apen = _phi(e, m) - _phi(e, m + 1)
    chi2 = 2 * n * (math.log(2) - apen)
    return TestResult("nist_approximate_entropy", RANDOM_BITS, chi2, 2.0**m,
                      float(special.gammaincc(2.0 ** (m - 1), chi2 / 2)), {"m": m, "ApEn": apen})


def cumulative_sums(bits: np.ndarray | str, reverse: bool = False) -> TestResult:
    """2.13 Cumulative sums: z = max |S_k| of the +-1 walk (mode 1 = reversed sequence).

    P = 1 - sum_{k=(-n/z+1)/4}^{(n/z-1)/4} [Phi((4k+1)z/sqrt n) - Phi((4k-1)z/sqrt n)]
          + sum_{k=(-n/z-3)/4}^{(n/z-1)/4} [Phi((4k+3)z/sqrt n) - Phi((4k+1)z/sqrt n)],
    summation bounds rounded as in the reference C code (truncation of the real bound).
    """
    e = as_bits(bits)
    n = e.size
    x = 2 * e.astype(np.int64) - 1
    if reverse:
        x = x[::-1]
    z = int(np.abs(np.cumsum(x)).max())
    sq = math.sqrt(n)
    phi = stats.norm.cdf
    # int() truncates toward zero like the reference C code; floor() instead gives
    # 0.411585 on the 2.13.4 example where the document prints 0.4116588.
    k1 = np.arange(int((-n / z + 1) / 4), int((n / z - 1) / 4) + 1)
    k2 = np.arange(int((-n / z - 3) / 4), int((n / z - 1) / 4) + 1)
    s1 = (phi((4 * k1 + 1) * z / sq) - phi((4 * k1 - 1) * z / sq)).sum()
    s2 = (phi((4 * k2 + 3) * z / sq) - phi((4 * k2 + 1) * z / sq)).sum()
    p = float(1.0 - s1 + s2)
    name = "nist_cusum_backward" if reverse else "nist_cusum_forward"
    return TestResult(name, RANDOM_BITS, float(z), None, p, {"n": n, "mode": int(reverse)})


def battery(bits: np.ndarray | str, block_m: int = 128, serial_m: int = 16, apen_m: int = 10) -> list[TestResult]:
    """The implemented subset of SP 800-22 with the document's default-ish parameters."""
    e = as_bits(bits)
    s1, s2 = serial(e, serial_m)
    return [frequency(e), block_frequency(e, block_m), runs(e), longest_run_of_ones(e), s1, s2,
            approximate_entropy(e, apen_m), cumulative_sums(e), cumulative_sums(e, reverse=True)]
