"""Verdicts: each claim judged against its candidates by one precision rule (``rules``, ``judge``), checks between
figures of one text (``arithmetic``), evidence tiers (``evidence``), and the whole check of an article (``check``)."""
