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


def test_every_deprecated_model_warns_from_its_end_of_life_on_and_names_its_successor():
    for model, (end_of_life, successor) in DEPRECATED_MODELS.items():
        assert deprecation_warning(model, end_of_life - datetime.timedelta(days=1)) is None
        assert deprecation_warning(model, end_of_life).endswith(f"on {end_of_life.isoformat()}; migrate to {successor}")
        assert model in KNOWN_MODELS  # still offered by --model completion and help, like any other model


def test_completion_and_help_never_offer_a_name_twice():
    for names in (KNOWN_MODELS, KNOWN_BETAS):
        assert len(set(names)) == len(names)
