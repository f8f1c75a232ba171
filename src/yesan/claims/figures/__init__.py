"""The money figures of an article: found in prose (``prose``) and tables (``tables``), each read for what it is
(``kind``, ``purpose``, ``phrases``, ``timeline``) and gathered as ``Claim``s by ``extract``. Stage two of four."""
