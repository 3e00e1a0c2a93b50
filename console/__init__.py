"""The built web console: `DIST` is the folder that `npm run build` writes from frontend/."""

from pathlib import Path

DIST = Path(__file__).resolve().parent / "dist"
