"""The 64-bit keys of dossier codes (tthc.validation.code_keys) at their edges: what each function promises, asserted
exactly — found by mutation testing (scripts/mutation.sh), which showed which wrong versions the other tests let
through.

* the hash of a code is the hash of its upper-cased text, the same in every block whatever else the block holds
  (short or long codes, ASCII or not, a slice of a bigger array, large or small Arrow strings), and different for
  the different codes of a set — a code one byte longer, a code that differs in one byte anywhere;
* a key from a hash always has its top bit clear, whatever the hasher gives; a canonical code is packed, any other
  code is hashed — and the hasher sees only those, in their order;
* the Arrow buffers are read from the array's own offset, for either width of offsets, with or without a data buffer;
  strings are rebuilt from buffers as written, in Arrow (string below 2**31 bytes, large string from there) or in
  numpy.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from tthc.validation.code_keys import (
    code_hashes,
    code_keys,
    identity,
    mix,
    strings_from_buffers,
    unpacked,
    utf8_buffers,
)

I64 = npt.NDArray[np.int64]

# non-symmetric on purpose: codes of every length class the hash reads differently — short ASCII, exactly 32 bytes
# (the head the hash reads), 33 bytes (one byte of tail), 40 bytes, non-ASCII short and long
SHORT = ["A-1", "b-22", "000.00.12.H21-250303-00X1"]
AT_32 = "Q" * 31 + "7"
PAST_32 = "R" * 32 + "8"
LONG = "X" * 39 + "Y"
WIDE = ["Đ-6", "Ư" * 20 + "-1"]
EVERY = [*SHORT, AT_32, PAST_32, LONG, *WIDE]


def _hashes(codes: list[str], kind: pa.DataType | None = None) -> list[int]:
    hashes: list[int] = code_hashes(pa.array(codes, kind or pa.string())).tolist()
    return hashes


def _alone(code: str) -> int:
    return int(code_hashes(pa.array([code]))[0])


def test_a_code_hashes_the_same_in_every_block() -> None:
    """Each code's hash alone (the padded ASCII path for the short ASCII codes) equals its hash in a block with codes
    of every kind before and after it, in a slice of a bigger array, as large strings, and in lower case."""
    alone = [_alone(c) for c in EVERY]
    assert _hashes(EVERY) == alone
    assert _hashes(EVERY[::-1]) == alone[::-1]
    assert _hashes(EVERY, pa.large_string()) == alone
    assert _hashes([c.lower() for c in EVERY]) == alone
    sliced = pa.array(["ZZZZ", *EVERY, "Z" * 50])[1:-1]
    assert code_hashes(sliced).tolist() == alone
    # an ASCII block whose longest code is exactly 32 bytes, and the same codes beside a non-ASCII one
    assert _hashes([AT_32, "A-1"]) == [alone[3], alone[0]]
    assert _hashes([AT_32, "Đ-6"]) == [alone[3], alone[6]]
    # a long code followed by other codes reads its own last bytes, not theirs
    assert _hashes([LONG, "A-1", PAST_32]) == [alone[5], alone[0], alone[4]]


def test_a_block_of_none_or_one_code() -> None:
    assert code_hashes(pa.array([], pa.string())).shape == (0,)
    assert code_hashes(pa.array([], pa.string())).dtype == np.int64
    one = code_hashes(pa.array(["A-1"]))
    assert one.shape == (1,)
    assert one.dtype == np.int64
    assert int(one[0]) == _hashes(["B-2", "A-1"])[1]


def test_different_codes_get_different_hashes() -> None:
    """The codes confirm every repeat, but a hash that lets different codes collide makes the check slow: codes that
    differ in their length only (spaces, which pad the head), or in one byte at any position (the head, past it, the
    last byte of a long code), all get different hashes."""
    base = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=/?"  # 40 bytes, each different
    codes = [base[:n] for n in range(1, 41)]
    codes += [base[:p] + "#" + base[p + 1 :] for p in range(40)]
    codes += [base[:20][:p] + "#" + base[:20][p + 1 :] for p in range(20)]
    codes += ["A-1", "A-1 ", "A-1  ", " A-1", "X" * 40, "X" * 39 + "Y", "Y" + "X" * 39, "Đ", "Đ ", "ĐĐ"]
    codes = list(dict.fromkeys(codes))
    hashes = _hashes(codes)
    assert len(set(hashes)) == len(codes)
    assert len(set(code_hashes(np.array(codes, dtype=object)).tolist())) == len(codes)


def test_mix_reaches_the_top_bits() -> None:
    """The buckets of the duplicate check are chosen from the top bits of the mixed key: small consecutive keys must
    spread over them (1024 keys over the 256 values of the top byte), and mix is one to one (MurmurHash3's fmix64 is
    a bijection of 64-bit words: different keys never share a mixed key)."""
    keys = np.arange(1, 1025, dtype=np.uint64)
    mixed = mix(keys)
    assert len(set(mixed.tolist())) == 1024
    many = np.arange(1, 300_001, dtype=np.uint64)  # a step that drops bits lets some of 300 000 keys collide
    assert len(np.unique(mix(many))) == len(many)
    assert len(np.unique(mix(many << np.uint64(31)))) == len(many)
    assert len(set((mixed >> np.uint64(56)).tolist())) > 200
    assert len(set((mix(keys << np.uint64(40)) >> np.uint64(56)).tolist())) > 200


def test_without_arrow_the_hash_is_of_the_upper_cased_text() -> None:
    """Python's upper-casing: ß is SS, đ is Đ."""
    h = code_hashes(np.array(["ß-1", "SS-1", "ss-1", "đ-6", "Đ-6", "A-1"], dtype=object)).tolist()
    assert h[0] == h[1] == h[2]
    assert h[3] == h[4]
    assert len({h[0], h[3], h[5]}) == 3


def _minus_one(codes: object) -> I64:
    # a hasher that sets the top bit of every hash: the keys must clear it
    return np.full(len(codes), -1, dtype=np.int64)  # type: ignore[arg-type]


MAX = np.iinfo(np.int64).max
CANON = ["000.00.12.H21-250303-0001", "123.45.67.k89-251531-9876"]


def test_a_hashed_key_has_its_top_bit_clear() -> None:
    assert code_keys(np.array(["A-1", "B-2"], dtype=object), _minus_one).tolist() == [MAX, MAX]
    assert code_keys(pa.array(["A-1", "B-2"]), _minus_one).tolist() == [MAX, MAX]
    mixed = code_keys(pa.array([CANON[0], "A-1", CANON[1]]), _minus_one)
    assert mixed[1] == MAX
    assert (mixed[[0, 2]] < 0).all()
    assert unpacked(mixed[[0, 2]]).to_pylist() == CANON
    assert (code_keys(pa.array(["A-1", "Đ-6", LONG])) >= 0).all()
    assert (code_keys(np.array(CANON, dtype=object)) >= 0).all()  # without Arrow every code is hashed


def test_the_hasher_sees_the_codes_that_are_not_canonical_only_in_order() -> None:
    seen: list[list[str]] = []

    def hasher(codes: pa.Array) -> I64:
        seen.append(codes.to_pylist())
        return np.arange(7, 7 + len(codes), dtype=np.int64)

    keys = code_keys(pa.array(["B-2", CANON[0], "A-1", CANON[1], "C-3"]), hasher)
    assert seen == [["B-2", "A-1", "C-3"]]
    assert keys[[0, 2, 4]].tolist() == [7, 8, 9]
    assert unpacked(keys[[1, 3]]).to_pylist() == CANON
    seen.clear()
    assert code_keys(pa.array(CANON), hasher).tolist() == code_keys(pa.array(CANON)).tolist()
    assert seen == []  # all canonical: no hash asked for
    assert code_keys(pa.array([], pa.string()), hasher).shape == (0,)


def test_keys_of_a_slice_are_the_keys_of_its_codes() -> None:
    codes = ["A-1", *CANON, "B-2", CANON[0].lower()]
    keys = code_keys(pa.array(codes))
    assert code_keys(pa.array(codes)[1:4]).tolist() == keys[1:4].tolist()
    assert identity(keys)[1] == identity(keys)[4]
    assert keys[1] != keys[4]  # the case is kept in the key, to give the code back as written
    assert unpacked(keys[[4]]).to_pylist() == [CANON[0].lower()]


def test_identity_leaves_hashed_keys_alone() -> None:
    hashed = np.array([0, 1, 7, 1 << 62, (1 << 62) | 5, MAX], dtype=np.int64)
    assert identity(hashed).tolist() == hashed.tolist()


def test_nothing_unpacks_to_nothing() -> None:
    none = unpacked(np.zeros(0, dtype=np.int64))
    assert none.type == pa.string()
    assert none.to_pylist() == []


def test_utf8_buffers_read_from_the_offset_of_a_slice() -> None:
    for kind in (pa.string(), pa.large_string()):
        arr = pa.array(["ab", "cdé", "f", "gh"], kind)[1:3]
        offsets, data = utf8_buffers(arr)
        assert offsets.tolist() == [0, 4, 5]
        assert offsets.dtype == np.int64
        assert data.tobytes() == "cdéf".encode()
    offsets, data = utf8_buffers(pa.array(["x", "", ""])[1:])
    assert offsets.tolist() == [0, 0, 0]
    assert data.shape == (0,)


def test_strings_from_buffers_in_arrow_and_in_numpy() -> None:
    text = "A-1Đ-6xyz"
    data = np.frombuffer(text.encode(), dtype=np.uint8)
    offsets = np.array([0, 3, 7, 7, 10], dtype=np.int64)
    expected = ["A-1", "Đ-6", "", "xyz"]
    arrow = strings_from_buffers(offsets, data, True)
    assert arrow.type == pa.string()
    assert arrow.to_pylist() == expected
    plain = strings_from_buffers(offsets, data, False)
    assert plain.dtype == object
    assert plain.tolist() == expected


@pytest.mark.parametrize(
    ("last", "kind", "width"), [(2**31 - 1, "string", np.int32), (2**31, "large_string", np.int64)]
)
def test_strings_of_2_gib_and_more_are_large_strings(
    monkeypatch: pytest.MonkeyPatch, last: int, kind: str, width: type[np.integer]
) -> None:
    """The 32-bit offsets of an Arrow string end at 2**31 - 1 bytes; from 2**31 the strings are large. Arrow checks
    the offsets against the data when it builds the array, and 2 GiB of codes are not made here: a stand-in for
    pyarrow records what strings_from_buffers asks it to build."""
    built: list[tuple[str, int, npt.NDArray[np.integer]]] = []

    def from_buffers(kind: str, n: int, buffers: list[object]) -> str:
        built.append((kind, n, buffers[1]))  # type: ignore[arg-type]
        return kind

    fake = types.SimpleNamespace(
        large_string=lambda: "large_string",
        string=lambda: "string",
        py_buffer=lambda raw: raw,
        Array=types.SimpleNamespace(from_buffers=from_buffers),
    )
    monkeypatch.setitem(sys.modules, "pyarrow", fake)
    assert strings_from_buffers(np.array([0, 1, last], dtype=np.int64), np.zeros(1, dtype=np.uint8), True) == kind
    ((_, n, offsets),) = built
    assert n == 2
    assert offsets.dtype == width
    assert offsets.tolist() == [0, 1, last]
