import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not (SEEDS / "gold.json").exists():
        pytest.skip(f"sample articles not found at {SEEDS} (../shared/seeds is absent on this machine)")
    return SEEDS


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty knowledge-base cache directory of the test's own (rasd.kb.cache reads $RASD_CACHE)."""
    from rasd.kb import cache

    monkeypatch.setenv("RASD_CACHE", str(tmp_path / "cache"))
    cache.clear()
    yield tmp_path / "cache"
    cache.clear()


@pytest.fixture(scope="session")
def gold(seeds: Path) -> dict:
    return json.loads((seeds / "gold.json").read_text(encoding="utf-8"))["documents"]


# Property-based tests (hypothesis): the default run is seed-pinned and small (derandomize, a few dozen
# examples per test, so it adds seconds, not minutes); `make fuzz` runs the same tests long with
# HYPOTHESIS_PROFILE=rasd-fuzz (RASD_FUZZ_EXAMPLES examples each, random seeds).
def _hypothesis_profiles() -> None:
    import os

    from hypothesis import HealthCheck, settings

    lenient = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]
    settings.register_profile("rasd-ci", derandomize=True, max_examples=30, deadline=None, database=None,
                              suppress_health_check=lenient, print_blob=True)
    settings.register_profile("rasd-fuzz", max_examples=int(os.environ.get("RASD_FUZZ_EXAMPLES", "2000")), deadline=None,
                              suppress_health_check=lenient, print_blob=True)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "rasd-ci"))


_hypothesis_profiles()
