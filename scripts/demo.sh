#!/usr/bin/env bash
# `make demo`: real `ant completions create` and `batch` runs against the offline mock API (no key, no network).
# Each step's caption is the exact command that runs next; a failing step shows its exit status.
set -euo pipefail

url_file="${TMPDIR:-/tmp}/ant-demo-url.$$"
# 50 ms per answer, as a network would take, so that the batch's live bar has something to show
python -m ant_cli.mockserver --port 0 --latency 0.05 > "$url_file" &
server=$!
demo_dir=$(mktemp -d)  # the batch's prompts and results; the steps run in it
trap 'kill $server 2>/dev/null; rm -rf "$url_file" "$demo_dir"' EXIT
for _ in $(seq 50); do [ -s "$url_file" ] && break; sleep 0.1; done
export ANTHROPIC_BASE_URL=$(head -n1 "$url_file")
export ANTHROPIC_API_KEY=demo-key-not-secret

mock_script() {  # queue answers on the mock (its /_mock/script endpoint): here, a slower stream
  python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/_mock/script", sys.argv[2].encode())' \
    "$ANTHROPIC_BASE_URL" "$1" >/dev/null
}

step() {
  printf '\n$ %s\n' "$1"
  set +e
  eval "$1"
  local status=$?
  set -e
  if [ "$status" != 0 ]; then printf 'exit status: %s\n' "$status"; fi
}

echo "mock API at $ANTHROPIC_BASE_URL (ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY are set for every step)"
cd "$demo_dir"
# The steps are read from descriptor 3, so that stdin stays free for `ant`.
while IFS= read -r command <&3; do
  case "$command" in
    *"| jq"*) command -v jq >/dev/null || { printf '\n(jq is not installed: skipping %s)\n' "$command"; continue; } ;;
  esac
  step "$command"
done 3<<'STEPS'
prompt=$'\n\nHuman: Tell me about the mock server\n\nAssistant:'
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --format json
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --format pretty
mock_script '[{"events": 12, "chunk": " tick", "interval": 0.15}]'
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" --stream --format text
ant completions create --model claude-2.1 --max-tokens-to-sample 64 --prompt "$prompt" | jq -r .stop_reason
printf '{model: claude-2.1, max_tokens_to_sample: 16, prompt: "\\n\\nHuman: hi\\n\\nAssistant:"}' | ant completions create --format yaml
ant completions create --via messages --model claude-haiku-4-5 --max-tokens-to-sample 64 --prompt "$prompt" --format text
ant completions create --via messages --model claude-sonnet-5 --max-tokens-to-sample 64 --prompt "$prompt" | jq -c '{completion, stop_reason, usage: .usage.output_tokens}'
seq 1 300 | sed 's/.*/What is & squared?/' > prompts.txt
timeout --preserve-status -s INT 2 ant completions batch prompts.txt --input-format text --model claude-2.1 --max-tokens-to-sample 16 -o results.jsonl --parallel 4
wc -l < results.jsonl
ant completions batch prompts.txt --input-format text --model claude-2.1 --max-tokens-to-sample 16 -o results.jsonl --parallel 4 --resume
jq -r '"\(.custom_id):\(.result.completion.completion)"' results.jsonl | sed -n '1,3p;$p'
ant completions create --model no-such-model --max-tokens-to-sample 64 --prompt "$prompt"
STEPS
