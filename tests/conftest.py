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


@pytest.fixture(scope="session")
def gold(seeds: Path) -> dict:
    return json.loads((seeds / "gold.json").read_text(encoding="utf-8"))["documents"]
