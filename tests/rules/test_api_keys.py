"""API keys as text: every generated key is well formed, and the checksum catches any one changed
character, so a typo or a forged key is refused before any lookup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from service.rules import api_keys

RANDOM_PARTS = st.text(alphabet=api_keys.ALPHABET, min_size=api_keys.RANDOM_LENGTH, max_size=api_keys.RANDOM_LENGTH)


@given(RANDOM_PARTS)
def test_every_key_is_well_formed(random_part: str) -> None:
    key = api_keys.format_key(random_part)
    assert key.startswith("pm_")
    assert len(key) == api_keys.KEY_LENGTH == 39
    assert api_keys.is_well_formed(key)


@given(RANDOM_PARTS, st.integers(min_value=0, max_value=api_keys.KEY_LENGTH - 1), st.sampled_from(api_keys.ALPHABET))
def test_one_changed_character_breaks_the_checksum(random_part: str, position: int, replacement: str) -> None:
    key = api_keys.format_key(random_part)
    changed = key[:position] + replacement + key[position + 1 :]
    assert api_keys.is_well_formed(changed) == (changed == key)


@given(st.text(max_size=60))
def test_arbitrary_text_is_rarely_a_key_and_never_crashes(text: str) -> None:
    assert api_keys.is_well_formed(text) in (True, False)
    assert not api_keys.is_well_formed("pm_" + text[:5])


def test_the_hash_is_sha256_hex_and_stable() -> None:
    key = api_keys.format_key("a" * api_keys.RANDOM_LENGTH)
    assert api_keys.key_hash(key) == api_keys.key_hash(key)
    assert len(api_keys.key_hash(key)) == 64
