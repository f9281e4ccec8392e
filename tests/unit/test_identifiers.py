from streams.identifiers import is_valid_uscc, make_uscc, tokenize_citizen_id


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
