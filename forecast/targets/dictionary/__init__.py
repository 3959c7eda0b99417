"""The bundled indicator dictionary (indicators.yaml), read by forecast.targets.linking."""
