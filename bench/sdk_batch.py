"""The official Python SDK sending a prompts file with a pool of 8 threads (the bench's batch comparison)."""

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import anthropic

client = anthropic.Anthropic(base_url=os.environ["ANTHROPIC_BASE_URL"], api_key=os.environ["ANTHROPIC_API_KEY"])
model, tokens, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def complete(line: str) -> str:
    item = json.loads(line)
    completion = client.completions.create(model=model, max_tokens_to_sample=tokens, **item["params"])
    return json.dumps({"custom_id": item["custom_id"], "completion": completion.model_dump()})


with open(path) as handle, ThreadPoolExecutor(8) as pool:
    for result in pool.map(complete, handle):
        print(result)
