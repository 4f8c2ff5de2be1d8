"""Property: the SSE decoder gives the same events however the network splits or merges the bytes."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.client.sse import SSEDecoder

# Field values may hold anything but line breaks (the format has no escape for them), including ':' and
# non-ASCII text whose UTF-8 bytes a read can split.
VALUE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=12)
NAME = st.one_of(st.just("completion"), st.just("ping"), VALUE.filter(lambda name: name != ""))
EVENT = st.tuples(NAME, st.lists(VALUE, min_size=1, max_size=3))
ENDING = st.sampled_from(["\n", "\r\n", "\r"])


def encode(events, ending: str, comments: bool) -> bytes:
    """Events as a server writes them; a comment line before each when asked."""
    blocks = []
    for name, datas in events:
        lines = [": keep-alive"] if comments else []
        lines += [f"event: {name}"] + [f"data: {data}" for data in datas]
        blocks.append(ending.join(lines) + ending + ending)
    return "".join(blocks).encode()


def split(data: bytes, cuts: set[int]) -> list[bytes]:
    bounds = [0, *sorted(cuts), len(data)]
    return [data[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]


def decode(reads: list[bytes]) -> list[tuple[str, str]]:
    decoder = SSEDecoder()
    return [tuple(event) for read in reads for event in decoder.feed(read)]


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT, max_size=5), ENDING, st.booleans(), st.data())
def test_any_split_of_the_bytes_gives_the_events_in_order(events, ending, comments, data):
    stream = encode(events, ending, comments)
    cuts = data.draw(st.sets(st.integers(1, max(len(stream) - 1, 1)), max_size=len(stream)))
    expected = [(name, "\n".join(datas)) for name, datas in events]
    assert decode(split(stream, cuts)) == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(EVENT, min_size=1, max_size=3), ENDING)
def test_every_byte_boundary_one_byte_reads_and_one_read_agree(events, ending):
    stream = encode(events, ending, comments=False)
    whole = decode([stream])
    assert decode([stream[i:i + 1] for i in range(len(stream))]) == whole
    for cut in range(1, len(stream)):
        assert decode([stream[:cut], stream[cut:]]) == whole, cut
