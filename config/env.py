"""Environment reading: the only place that looks at os.environ."""

import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("TANGGAP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def local_secret(name: str) -> str:
    """Return a per-installation random secret kept under var/, creating it on first use."""
    path = VAR_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()
