"""The bundled indicator dictionary (indicators.yaml), read by forecast.linking."""
