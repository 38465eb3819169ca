"""The pipeline shows in the code: only the engine adapter knows MkDocs.

A move to another engine (MkDocs 2.0 drops plugins; Material for MkDocs
reaches its end of life) rewrites the adapter (``mkdocs_plugin.py``,
``macros.py``) and ``overrides/``, and nothing else: see README « Entretien ».
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src" / "referentiel"
ADAPTATEUR = {SRC / "mkdocs_plugin.py"}


def _imports(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports)."""
    out = set()
    for noeud in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(noeud, ast.Import):
            out |= {a.name.split(".")[0] for a in noeud.names}
        elif isinstance(noeud, ast.ImportFrom) and noeud.level == 0 and noeud.module:
            out.add(noeud.module.split(".")[0])
    return out


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_seul_l_adaptateur_importe_mkdocs():
    fautifs = [p.relative_to(ROOT).as_posix() for p in _modules()
               if p not in ADAPTATEUR and {"mkdocs", "material", "mkdocs_macros"} & _imports(p)]
    assert fautifs == [], f"modules hors de l'adaptateur qui importent MkDocs : {fautifs}"
    # The adapter does (the test would pass vacuously if the paths were wrong).
    assert all("mkdocs" in _imports(p) for p in ADAPTATEUR)


def test_les_macros_passent_par_l_interface_de_l_adaptateur():
    """``macros.py`` forwards to ``pages.macros`` through ``macros_de()``: it
    does not reach into the plugin object nor restate a rendering."""
    texte = (ROOT / "macros.py").read_text(encoding="utf-8")
    assert "from referentiel.mkdocs_plugin import macros_de" in texte
    assert 'conf["plugins"]' not in texte and "env.conf.get" not in texte
    assert _imports(ROOT / "macros.py") <= {"referentiel"}
