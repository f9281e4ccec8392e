from datetime import date

from agents.public_security import id_number
from streams.identifiers import (
    find_citizen_ids,
    is_valid_citizen_id,
    is_valid_uscc,
    make_uscc,
    tokenize_citizen_id,
)


def test_a_published_uscc_validates_and_a_typo_does_not():
    assert is_valid_uscc("91350100M000100Y43")
    assert not is_valid_uscc("91350100M000100Y44")
    assert not is_valid_uscc("91350100M000100Y4")


def test_generated_usccs_are_valid_and_stable():
    assert is_valid_uscc(make_uscc("C-1"))
    assert make_uscc("C-1") == make_uscc("C-1") != make_uscc("C-2")


def test_citizen_ids_become_tokens_that_do_not_contain_them():
    token = tokenize_citizen_id("330203199001011234")
    assert token.startswith("ct_") and "330203" not in token
    assert token == tokenize_citizen_id("330203199001011234 ")
    assert token != tokenize_citizen_id("33020319900101123X")


def test_a_citizen_id_in_clear_is_found_in_raw_record_bytes():
    made = id_number("330203", date(1990, 1, 1), 123)
    assert is_valid_citizen_id(made) and is_valid_citizen_id("11010519491231002X")
    # As an Avro string sits in a record: a length byte before it, other fields after it.
    record = b"\x00\x00\x00\x01\x02$" + made.encode() + b"\x0cct_abc" + "老宁波".encode()
    assert find_citizen_ids(record) == [made]
    assert find_citizen_ids(b"key=11010519491231002X;") == ["11010519491231002X"]


def test_tokens_uscc_and_wrong_check_characters_are_not_citizen_ids():
    wrong_check = b"110105194912310021"
    assert find_citizen_ids(wrong_check) == []
    assert find_citizen_ids(tokenize_citizen_id("11010519491231002X").encode()) == []
    assert find_citizen_ids(make_uscc("acme").encode()) == []
    assert find_citizen_ids(b"1101051949123100201") == []  # 19 digits: part of something longer
