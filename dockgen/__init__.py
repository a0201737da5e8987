"""dockgen: project-aware, best-practice multi-stage Dockerfile generator."""

from .api import PlanResult, Result, generate, plan
from .detectors.errors import DockgenError
from .generator.options import Options

__all__ = ["generate", "plan", "Result", "PlanResult", "Options", "DockgenError", "__version__"]
__version__ = "0.1.0"
