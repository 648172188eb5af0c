#!/usr/bin/env python3
"""Generate tests/data/peru-districts.csv: Peru's districts (INEI ubigeo) with their
department, province and district names, the four columns `linea central pack build` reads.

Reads INEI's table from the shared data set beside the project (never read by a test or the
build, which must pass on a fresh clone alone):
  ../shared/data/ubigeo-pe/ubigeo_distrito.csv   (ubigeo-peru-aumentado, MIT licence)

Rows are copied as they are, in the source's order, including the one district the source
gives no INEI code ("NA"): pack build must meet it and leave it out, saying so.

Re-run from the crate root after the data set changes:
  python3 tools/gen-ubigeo.py            # writes tests/data/peru-districts.csv
  python3 tools/gen-ubigeo.py --check    # exits 1 if the committed file is out of date
"""

import csv
import io
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "data" / "ubigeo-pe" / "ubigeo_distrito.csv"
TARGET = ROOT / "tests" / "data" / "peru-districts.csv"
COLUMNS = ["inei", "departamento", "provincia", "distrito"]


def generate() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    with SOURCE.open(newline="", encoding="utf-8") as source:
        for row in csv.DictReader(source):
            writer.writerow([row[column] for column in COLUMNS])
    return out.getvalue()


def main() -> int:
    text = generate()
    if "--check" in sys.argv[1:]:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run tools/gen-ubigeo.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {text.count(chr(10)) - 1} districts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
