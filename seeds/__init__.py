"""The bundled NATO–Russia dataset, built from five articles; shipped inside the wheel."""

from importlib.resources import files
from pathlib import Path

BUNDLED_FILES: tuple[str, ...] = ("nato-russia.yaml",)


def bundled_paths() -> list[Path]:
    """Paths of the bundled import files, wherever the package is installed."""
    root = files("chancery.seeds")
    return [Path(str(root / name)) for name in BUNDLED_FILES]
