"""The reference for `make bench`: the least a click + requests script can do for the same job.

POST /v1/complete with the same headers and body, print the JSON indented; nothing else.
"""

import json
import os

import click
import requests


@click.command()
@click.option("--base-url", envvar="ANTHROPIC_BASE_URL", default="https://api.anthropic.com")
@click.option("--model", required=True)
@click.option("--max-tokens-to-sample", type=int, required=True)
@click.option("--prompt", required=True)
def main(base_url, model, max_tokens_to_sample, prompt):
    response = requests.post(
        base_url.rstrip("/") + "/v1/complete",
        headers={"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01",
                 "content-type": "application/json"},
        json={"model": model, "max_tokens_to_sample": max_tokens_to_sample, "prompt": prompt},
        timeout=600,
    )
    click.echo(json.dumps(response.json(), indent=2))


if __name__ == "__main__":
    main()
