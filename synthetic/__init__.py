"""Deterministic synthetic raw exports of five systems (CRM, web analytics, email, social,
support) for one population of people, with realistic noise, hard negatives and ground truth.

``generate_sample(people, seed, out)`` writes ``out/landing/...`` (what the systems export)
and ``out/ground_truth/...`` (who each record really is). The same arguments always give
byte-identical files.
"""

from synthetic._generate import SampleSummary, generate_sample

__all__ = ["SampleSummary", "generate_sample"]
