"""Getting data in: the observation importer (CSV/XLSX, validation), series (as-of cut, gaps, annual
values) and the bounded transforms the models fit on."""
