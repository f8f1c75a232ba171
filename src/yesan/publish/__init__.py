"""Publishing a check: saving it with a permalink, what changed between its runs, schema.org ClaimReview, one
standalone HTML file, PNG cards, and the ledger of every checked figure.

Everything here reads and writes the store's checks file (``yesan.store.checks``) and the reports of
``yesan.claims.verdict.check``; the web pages (``yesan.web.views.published``) and the CLI (``yesan checks``)
present it. Nothing is sent anywhere: the article text stays in the user's store.
"""
