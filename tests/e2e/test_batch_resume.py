"""`ant completions batch --resume` never drops a result already in FILE: results of custom_ids the input does
not have, or lines that are not results, are refused untouched unless --drop-foreign asks to drop them."""

from __future__ import annotations

from tests.e2e.test_batch import assert_complete, batch, ids, prompts


def test_resuming_with_another_input_is_refused_and_the_file_is_left_byte_for_byte(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    assert batch(mock_api, "-o", output, input=prompts(6)).returncode == 0
    with open(output, "ab") as handle:
        handle.write(b'{"custom_id":"q-7","result":{"type":"succ')  # a torn last line is kept as well
    before, sent = output.read_bytes(), len(mock_api.requests)
    result = batch(mock_api, "-o", output, "--resume", input=prompts(2, start=6))  # q-6 and q-7 only
    assert result.returncode == 2, result.stderr
    message = result.stderr.strip()
    assert message.startswith("ant: error: --resume:") and len(message.splitlines()) == 1
    assert "results for 5 custom_ids that this input does not have ('q-1', 'q-2', 'q-3', …)" in message
    assert "--drop-foreign" in message
    assert output.read_bytes() == before and len(mock_api.requests) == sent and result.stdout == ""


def test_drop_foreign_resumes_and_keeps_only_the_input_s_results(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    assert batch(mock_api, "-o", output, input=prompts(3)).returncode == 0
    sent = len(mock_api.requests)
    result = batch(mock_api, "-o", output, "--resume", "--drop-foreign", input=prompts(3, start=3))
    assert result.returncode == 0, result.stderr
    assert ids(output.read_text()) == ["q-3", "q-4", "q-5"]
    assert len(mock_api.requests) - sent == 2  # q-3 was already done


def test_a_file_with_lines_that_are_not_results_is_not_resumed_over(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    output.write_text("precious notes\n")
    result = batch(mock_api, "-o", output, "--resume", input=prompts(2))
    assert result.returncode == 2 and "1 line that is not a batch result (line 1)" in result.stderr
    assert output.read_text() == "precious notes\n" and mock_api.requests == []


def test_resuming_the_same_input_needs_no_option(mock_api, tmp_path):
    output = tmp_path / "results.jsonl"
    assert batch(mock_api, "-o", output, input=prompts(2)).returncode == 0
    result = batch(mock_api, "-o", output, "--resume", input=prompts(4))  # the input grew: nothing is foreign
    assert result.returncode == 0, result.stderr
    assert_complete(output, 4)


def test_drop_foreign_without_resume_is_a_usage_error(mock_api, tmp_path):
    result = batch(mock_api, "-o", tmp_path / "new.jsonl", "--drop-foreign", input=prompts(1))
    assert result.returncode == 2 and "--drop-foreign goes with --resume" in result.stderr
    assert mock_api.requests == [] and not (tmp_path / "new.jsonl").exists()
