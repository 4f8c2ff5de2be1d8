"""The seeds' facts: deprecated models warn only once past their end-of-life date."""

import datetime

from ant_cli.core.catalog import DEPRECATED_MODELS, KNOWN_BETAS, KNOWN_MODELS, deprecation_warning


def test_warning_only_after_end_of_life():
    assert deprecation_warning("claude-3-haiku-20240307", datetime.date(2026, 4, 19)) is None
    warning = deprecation_warning("claude-3-haiku-20240307", datetime.date(2026, 4, 20))
    assert warning == ("model claude-3-haiku-20240307 is deprecated and reached end-of-life on 2026-04-20; "
                       "migrate to claude-haiku-4-5")


def test_current_models_never_warn():
    assert deprecation_warning("claude-opus-4-8", datetime.date(2100, 1, 1)) is None


def test_every_deprecated_model_is_a_known_model_and_lists_are_unique():
    assert set(DEPRECATED_MODELS) <= set(KNOWN_MODELS)
    assert len(set(KNOWN_MODELS)) == len(KNOWN_MODELS) and len(set(KNOWN_BETAS)) == len(KNOWN_BETAS) == 26
