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


def _nom(path: Path) -> str:
    """``src/referentiel/lecture/checks.py`` -> ``referentiel.lecture.checks``."""
    parties = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parties[:-1] if parties[-1] == "__init__" else parties)


def _dependances(path: Path) -> set[str]:
    """The modules of ``referentiel`` a module imports (relative imports resolved)."""
    paquet = _nom(path) if path.name == "__init__.py" else _nom(path).rpartition(".")[0]
    out = set()
    for noeud in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(noeud, ast.ImportFrom):
            if noeud.level:
                base = paquet.split(".")[: len(paquet.split(".")) - noeud.level + 1]
                module = ".".join(base + ([noeud.module] if noeud.module else []))
            else:
                module = noeud.module or ""
            if module.startswith("referentiel"):
                out |= {f"{module}.{a.name}" for a in noeud.names} | {module}
        elif isinstance(noeud, ast.Import):
            out |= {a.name for a in noeud.names if a.name.startswith("referentiel")}
    return out


# The pipeline, in order: a stage uses the ones before it, never one after.
# (render: contributed text to safe HTML, shared by the checks and the pages.)
ETAPES = ["lecture", "modele", "render", "pages", "sorties", "apercu", "mkdocs_plugin"]
INTERDITS = {
    "modele": ["lecture", "render", "pages", "sorties", "apercu", "mkdocs_plugin", "cli"],
    "lecture": ["pages", "sorties", "apercu", "mkdocs_plugin", "cli", "nouvelle_fiche"],
    "render": ["pages", "sorties", "apercu", "mkdocs_plugin", "modele"],
    "pages": ["sorties", "apercu", "mkdocs_plugin", "cli"],
    "sorties": ["apercu", "mkdocs_plugin", "cli"],
    "apercu": ["sorties", "mkdocs_plugin", "cli"],
}


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


def test_le_pipeline_va_dans_un_seul_sens():
    """Reading and checking -> model -> pages -> outputs -> adapter: no stage
    imports a later one (the tree shows the pipeline; see README)."""
    fautes = []
    for p in _modules():
        etape = _nom(p).split(".")[1] if _nom(p) != "referentiel" else ""
        for dep in _dependances(p):
            cible = dep.split(".")[1] if dep.count(".") else ""
            if cible in INTERDITS.get(etape, []):
                fautes.append(f"{_nom(p)} importe {dep}")
    assert sorted(set(fautes)) == []
    # Each stage is there (the test would pass vacuously on a wrong layout).
    presents = {_nom(p).split(".")[1] for p in _modules() if _nom(p) != "referentiel"}
    assert set(ETAPES) <= presents
