"""Evidence about models: rolling-origin back-tests, metrics, combination weights, spread calibration
and the pooled back-test evidence of a store."""
