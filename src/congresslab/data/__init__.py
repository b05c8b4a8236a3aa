"""Data: raw sources → tidy tables → loaders, and federation tables.

* :mod:`~congresslab.data.raw` — the manifest, checksums, reading raw files;
* :mod:`~congresslab.data.clean` — raw → ``data/processed/`` with checks;
* :mod:`~congresslab.data.load` — loaders of the processed tables;
* :mod:`~congresslab.data.federations` — canonical federation codes;
* :mod:`~congresslab.data.fedtables` — reading per-federation tables in French formats;
* :mod:`~congresslab.data.tables` — the one table reader (CSV , ; tab, UTF-8/latin-1, XLSX);
* :mod:`~congresslab.data._parse` — the one number parser (French and English spellings).
"""

__all__: list[str] = []
