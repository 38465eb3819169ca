"""Static-site generator of the référentiel de l'utilité sociale de la médiation numérique."""

__version__ = "0.1.0"
