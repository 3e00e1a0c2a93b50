"""The reader's channels and the stores' are one list: a channel the reader makes is one the
summaries keep apart."""

from typing import get_args

from services.csv_reader.columns.vocabulary import Channel, is_consumption
from storage.records import CHANNELS, channel_of


def test_the_reader_makes_the_channels_the_stores_know() -> None:
    assert {name for name in get_args(Channel) if name} == set(CHANNELS)


def test_a_channel_is_the_known_name_after_the_last_colon() -> None:
    assert channel_of("m-1:export") == "export"
    assert channel_of("site:2:generation") == "generation"
    assert channel_of("site:2") == ""
    assert channel_of("m-1:EXPORT") == ""  # the reader writes them in lower case
    assert all(is_consumption(m) == (channel_of(m) == "") for m in ("a", "a:gas", "a:b"))
