"""Reading an article: its text from plain text, corpus files or HTML pages (``text``, ``html``), its dates,
sentences and Korean morphology. The first stage of article → figures → candidates → verdict."""
