"""NIST SP 800-22 rev1a worked examples (section 2.x.8 "Example", and the small
examples of 2.x.4), reproduced to the document's printed precision.

Source of every expected value: NIST SP 800-22 rev1a (April 2010), "A Statistical Test
Suite for Random and Pseudorandom Number Generators for Cryptographic Applications",
sections cited per test. The 100-bit sequence is the document's epsilon (first 100 bits
of the binary expansion of pi, used in 2.1.8, 2.2.8, 2.3.8, 2.12.8, 2.13.8).
"""

from __future__ import annotations

import numpy as np
import pytest

from frontal.rng_audit import nist as N

EPS100 = (
    "11001001000011111101101010100010001000010110100011"
    "00001000110100110001001100011001100010100010111000"
)
# 2.4.8: the 128-bit example of the longest-run test.
EPS128 = (
    "11001100000101010110110001001100111000000000001001001101010100010001"
    "001111010110100000001101011111001100111001101101100010110010"
)


def test_frequency_examples() -> None:
    assert N.frequency("1011010101").p_value == pytest.approx(0.527089, abs=1e-6)  # 2.1.4
    assert N.frequency(EPS100).p_value == pytest.approx(0.109599, abs=1e-6)  # 2.1.8


def test_block_frequency_examples() -> None:
    r = N.block_frequency("0110011010", m=3)  # 2.2.4: chi2 = 1
    assert r.statistic == pytest.approx(1.0) and r.p_value == pytest.approx(0.801252, abs=1e-6)
    r = N.block_frequency(EPS100, m=10)  # 2.2.8: chi2 = 7.2
    assert r.statistic == pytest.approx(7.2) and r.p_value == pytest.approx(0.706438, abs=1e-6)


def test_runs_examples() -> None:
    r = N.runs("1001101011")  # 2.3.4: V = 7
    assert r.statistic == 7 and r.p_value == pytest.approx(0.147232, abs=1e-6)
    r = N.runs(EPS100)  # 2.3.8: V = 52
    assert r.statistic == 52 and r.p_value == pytest.approx(0.500798, abs=1e-6)


def test_runs_prerequisite() -> None:
    assert N.runs("1" * 90 + "0" * 10).p_value == 0.0


def test_longest_run_example() -> None:
    r = N.longest_run_of_ones(EPS128)  # 2.4.8: v = (4, 9, 3, 0), chi2 = 4.882605
    assert len(EPS128) == 128
    assert r.detail["v"] == [4, 9, 3, 0]
    assert r.statistic == pytest.approx(4.882605, abs=1e-6)
    assert r.p_value == pytest.approx(0.180598, abs=1e-6)


def test_serial_example() -> None:
    p1, p2 = N.serial("0011011101", m=3)  # 2.11.4: del psi2 = 1.6, del2 psi2 = 0.8
    assert p1.statistic == pytest.approx(1.6) and p2.statistic == pytest.approx(0.8)
    assert p1.p_value == pytest.approx(0.808792, abs=1e-6)
    assert p2.p_value == pytest.approx(0.670320, abs=1e-6)


def test_approximate_entropy_examples() -> None:
    r = N.approximate_entropy("0100110101", m=3)  # 2.12.4: ApEn = 0.190954
    assert r.detail["ApEn"] == pytest.approx(0.190954, abs=1e-6)
    assert r.p_value == pytest.approx(0.261961, abs=1e-6)
    r = N.approximate_entropy(EPS100, m=2)  # 2.12.8: ApEn = 0.665393, chi2 = 5.550792
    assert r.detail["ApEn"] == pytest.approx(0.665393, abs=1e-6)
    assert r.statistic == pytest.approx(5.550792, abs=1e-6)
    assert r.p_value == pytest.approx(0.235301, abs=1e-6)


def test_cumulative_sums_examples() -> None:
    r = N.cumulative_sums("1011010111")  # 2.13.4: z = 4, P = 0.4116588
    assert r.statistic == 4 and r.p_value == pytest.approx(0.4116588, abs=1e-6)
    f, b = N.cumulative_sums(EPS100), N.cumulative_sums(EPS100, reverse=True)  # 2.13.8
    assert f.statistic == 16 and f.p_value == pytest.approx(0.219194, abs=1e-6)
    assert b.statistic == 19 and b.p_value == pytest.approx(0.114866, abs=1e-6)


def test_battery_on_random_and_biased_bits() -> None:
    rng = np.random.default_rng(3)
    good = rng.integers(0, 2, 200_000)
    results = N.battery(good)
    assert len(results) == 9 and all(0 <= r.p_value <= 1 for r in results)
    biased = (rng.random(200_000) < 0.51).astype(np.int8)
    assert N.frequency(biased).p_value < 1e-10


def test_as_bits_rejects_non_bits() -> None:
    with pytest.raises(ValueError):
        N.as_bits(np.array([0, 1, 2]))
