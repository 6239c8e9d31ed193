"""The synthetic operator: a deterministic generator of a whole telecom operator's landing zone.

from orchestration.simulator import PROFILES, generate
truth = generate("demo", 42, Path("seeds"))
"""

from .generate import generate
from .profiles import PROFILES, Profile

__all__ = ["PROFILES", "Profile", "generate"]
