"""``python -m installer build|deb``: the bundle, then (on Debian) the package. Prints sizes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from installer import bundle

ROOT = Path(__file__).resolve().parent.parent


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer", description=__doc__)
    parser.add_argument("what", choices=("build", "deb"),
                        help="build: the PyInstaller bundle; deb: the bundle and the Debian package")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to put them (default dist/)")
    parser.add_argument("--reuse", action="store_true", help="package the bundle already in --out")
    args = parser.parse_args(argv)
    work = args.out / "work"
    built = bundle.read(args.out) if args.reuse else bundle.build(args.out, work)
    print(f"bundle: {built.folder} ({megabytes(built.size_bytes)} on disk; PyInstaller collected "
          f"{megabytes(built.collected_bytes)}, kept {megabytes(built.kept_bytes)} after installer/trim.py, "
          f"and left {len(built.system_libraries)} libraries to the OS's packages)")
    if args.what == "deb":
        from installer import deb
        package = deb.build(built, args.out)
        print(f"package: {package} ({megabytes(package.stat().st_size)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
