import pytest

# contract.py holds the asserts of the shared forecaster contract: let pytest explain their failures
pytest.register_assert_rewrite("tests.forecasters.contract")
