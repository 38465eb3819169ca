"""1. Reading and checking data/: every problem collected, in French, with file and line.

``charger`` is the driver (``chargement``); the files are read by ``fichiers``
and ``yamlio``; the checks are ``schemas`` (with ``schemarapide``),
``messages_schema`` and ``checks``; their rules are in ``regles``.
"""

from .chargement import Cache, Resultat, charger

__all__ = ["Cache", "Resultat", "charger"]
