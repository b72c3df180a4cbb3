"""`python -m crm_suite.deploy [--check]`: write the deployment files, or tell which are out of date."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crm_suite.deploy.render import render


def stale(root: Path, files: dict[str, str]) -> list[str]:
    """Return the rendered paths whose committed text differs from a fresh render."""
    return [path for path, text in files.items() if not (root / path).exists() or (root / path).read_text() != text]


def main(argv: list[str] | None = None) -> int:
    """Render into the repository (the current folder unless --root says otherwise)."""
    parser = argparse.ArgumentParser(prog="python -m crm_suite.deploy", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 naming the files out of date")
    args = parser.parse_args(argv)
    files = render()
    out_of_date = stale(args.root, files)
    if args.check:
        for path in out_of_date:
            print(f"out of date: {path} (run python -m crm_suite.deploy)", file=sys.stderr)
        return 1 if out_of_date else 0
    for path in out_of_date:
        target = args.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path])
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
