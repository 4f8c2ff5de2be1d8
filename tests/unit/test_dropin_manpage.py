"""The create man page states the official value syntax this client accepts."""

from ant_cli.cli.manpage import generate


def test_the_create_page_states_the_official_value_syntax():
    page = generate()["ant-completions-create.1"].replace("\\-", "-")
    for spelling in ("0x10", "0o20", "0b10000", "1_000", "--flag=true", "--metadata null",
                     "--metadata.user-id null", "anthropic-beta key"):
        assert spelling in page, spelling
