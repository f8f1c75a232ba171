"""What each figure could be checked against: the government and year an article is about (``scope``,
``government``), the figures the store holds for them (``reference``) and the candidates per claim (``match``)."""
