"""Cost of the PDFs for N generated fiches (run by hand).

    .venv/bin/python benchmarks/bench_pdf.py --fiches 100 500

For each N: the report (seconds and seconds per page) and the per-fiche PDFs
(seconds per fiche, on one core, over every fiche). Nothing is written into
the repository.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import generer  # noqa: E402
from referentiel.loading import charger  # noqa: E402
from referentiel.pdf import CSS_FICHE_SEULE, ecrire_pdf, html_fiche, html_rapport  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fiches", type=int, nargs="+", default=[100, 500])
    args = parser.parse_args()
    ecrire_pdf("<p>chauffe</p>", Path(tempfile.mkdtemp()) / "x.pdf")  # imports, fonts
    for n in args.fiches:
        tmp = Path(tempfile.mkdtemp(prefix=f"bench-pdf-{n}-"))
        try:
            shutil.copyfile(ROOT / "data" / "criteres.yaml", tmp / "criteres.yaml")
            generer(tmp, n)
            ref = charger(tmp).referentiel
            t = time.perf_counter()
            taille = ecrire_pdf(html_rapport(ref, [], "2026-11-26"), tmp / "rapport.pdf")
            duree = time.perf_counter() - t
            pages = len(PdfReader(tmp / "rapport.pdf").pages)
            t = time.perf_counter()
            for f in ref.fiches:
                ecrire_pdf(html_fiche(ref, f, "2026-11-26"), tmp / "fiches" / f"{f.id}.pdf", CSS_FICHE_SEULE)
            par_fiche = (time.perf_counter() - t) / n
            print(f"{n} fiches : rapport {pages} pages, {taille / 1e6:.1f} Mo, {duree:.1f} s "
                  f"({duree / pages:.3f} s par page) ; PDF par fiche {par_fiche:.2f} s (un cœur)")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
