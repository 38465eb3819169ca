"""4. The outputs besides the site's pages: the PDFs (``pdf``) and the open data (``donnees``)."""
