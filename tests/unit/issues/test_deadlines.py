"""Deadlines in working days per city, configurable by file or environment."""

import pytest

from streams.issues.deadlines import ENV, DeadlineRules, build_book, due, load_book
from tests.unit.issues.helpers import at


def test_defaults_follow_the_published_rule():
    rules = load_book({}).default
    assert (rules.accept, rules.reply, rules.resolve, rules.complex, rules.fix) == (1, 3, 15, 30, 15)


def test_zaozhuang_is_built_in_and_unknown_cities_use_the_default():
    book = load_book({})
    zaozhuang = book.for_city("Zaozhuang")
    assert (zaozhuang.accept, zaozhuang.reply, zaozhuang.resolve, zaozhuang.complex) == (1, 2, 10, 25)
    assert zaozhuang.fix == 15  # not published there: the default
    assert book.for_city("ningbo") == book.default == book.for_city(None)


def test_inline_json_overrides_the_default_and_adds_cities():
    book = load_book({ENV: '{"default": {"reply": 2}, "cities": {"zhongshan": {"resolve": 5}}}'})
    assert book.default.reply == 2
    assert book.for_city("zhongshan").resolve == 5 and book.for_city("zhongshan").reply == 2


def test_a_toml_file_configures_the_book(tmp_path):
    path = tmp_path / "deadlines.toml"
    path.write_text(
        "[default]\nresolve = 20\n[cities.quanzhou]\nreply = 7\nobjection = 1\n", encoding="utf-8"
    )
    book = load_book({ENV: str(path)})
    assert book.default.resolve == 20 and book.for_city("quanzhou").reply == 7


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"default": {"answer": 3}}, "unknown deadline answer"),
        ({"default": {"reply": -1}}, "non-negative"),
        ({"defaults": {}}, "unknown section defaults"),
    ],
)
def test_wrong_configuration_is_named(config, message):
    with pytest.raises(ValueError, match=message):
        build_book(config)


def test_unreadable_configuration_is_one_clear_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        load_book({ENV: str(tmp_path / "missing.toml")})
    with pytest.raises(ValueError, match="not valid JSON"):
        load_book({ENV: "{nope"})


def test_due_counts_working_days_across_weekends_and_holidays():
    assert due(at(27), 1) == at(30)  # Friday → Monday
    assert due(at(30, month=9), 1) == at(8, month=10)  # over the National Day holiday
    assert due(at(23), 0.5) == at(23, 21)


def test_rules_reject_non_numbers():
    with pytest.raises(ValueError):
        DeadlineRules(reply="3")
