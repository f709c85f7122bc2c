"""Unit tests for the rules' condition language (tui_advisor.engine.expr)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_advisor.engine import expr
from tui_advisor.engine.expr import UNKNOWN, ExprError

U = UNKNOWN


def ev(source: str, **env):
    fn, _ = expr.parse(source)
    return expr.evaluate(fn, env)


def names_of(source: str) -> set[str]:
    return expr.parse(source)[1]


# =========================================================================== arithmetic


@pytest.mark.parametrize(
    "source, expected",
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 - 4 - 3", 3),  # left-associative: (10 - 4) - 3
        ("7 / 2", 3.5),
        ("12 / 4 / 3", 1),  # (12 / 4) / 3
        ("-3 + 5", 2),
        ("- -3", 3),
        ("+4", 4),
        ("2.5 * 2", 5.0),
        ("0.1 + 0.2 > 0.3", True),  # plain float semantics
        ("1_000 + 0x10", 1016),  # Python number literals
    ],
)
def test_arithmetic_on_constants(source, expected):
    assert ev(source) == expected


def test_arithmetic_on_names():
    assert ev("(a - b) / b", a=9, b=3) == 2
    assert ev("-x", x=4) == -4
    assert ev("x * 2 + y", x=1.5, y=1) == 4.0


def test_booleans_count_as_numbers_in_arithmetic():
    assert ev("flag + 1", flag=True) == 2
    assert ev("true + true") == 2


@pytest.mark.parametrize("source", ["x + 1", "1 - x", "x * 2", "2 / x", "-x", "x / 0"])
def test_arithmetic_with_unknown_is_unknown(source):
    assert ev(source) is U  # x missing
    assert ev(source, x=None) is U  # x present but unknown


@pytest.mark.parametrize(
    "source, env",
    [
        ("1 / 0", {}),
        ("x / 0", {"x": 5}),
        ("1 / (x - x)", {"x": 3}),
        ("x / y", {"x": 1.0, "y": 0.0}),
        ("(1 / 0) * 0", {}),
    ],
)
def test_division_by_zero_is_unknown(source, env):
    assert ev(source, **env) is U


def test_division_by_zero_inside_a_comparison_is_unknown_not_false():
    assert ev("1 / x > 2", x=0) is U
    assert ev("1 / x > 2 or y > 1", x=0, y=5) is True


@pytest.mark.parametrize(
    "source, env",
    [
        ("s + 1", {"s": "text"}),
        ("'a' + 'b'", {}),
        ("'a' * 3", {}),
        ("-s", {"s": "text"}),
    ],
)
def test_arithmetic_on_strings_is_unknown(source, env):
    assert ev(source, **env) is U


# =========================================================================== comparisons


@pytest.mark.parametrize(
    "source, expected",
    [
        ("1 < 2", True),
        ("2 < 1", False),
        ("2 < 2", False),
        ("2 <= 2", True),
        ("3 <= 2", False),
        ("3 > 2", True),
        ("2 > 2", False),
        ("2 >= 2", True),
        ("1 >= 2", False),
        ("2 == 2.0", True),
        ("2 == 3", False),
        ("2 != 3", True),
        ("2 != 2", False),
    ],
)
def test_comparisons(source, expected):
    assert ev(source) is expected


@pytest.mark.parametrize("x, expected", [(0, False), (1, False), (2, True), (2.99, True), (3, False)])
def test_chained_comparison(x, expected):
    assert ev("1 < x < 3", x=x) is expected


def test_longer_chain():
    assert ev("0 <= a <= b < c", a=1, b=1, c=2) is True
    assert ev("0 <= a <= b < c", a=1, b=2, c=2) is False


def test_chain_with_unknown():
    assert ev("1 < x < y", x=2) is U  # 1 < 2 holds, 2 < y unknown
    assert ev("1 < x < y", x=0) is False  # a known false link decides
    assert ev("x < 1 < 2") is U
    assert ev("x > 1", x=None) is U


def test_string_equality():
    assert ev("basis == 'invoices'", basis="invoices") is True
    assert ev("basis == 'invoices'", basis="engagements") is False
    assert ev("basis != 'invoices'", basis="engagements") is True
    assert ev('"a" == "a"') is True
    assert ev('basis == "invoices"') is U  # basis missing


def test_string_against_number():
    assert ev("s == 1", s="1") is False  # different types are never equal
    assert ev("s != 1", s="1") is True
    assert ev("s < 1", s="a") is U  # ordering across types has no answer
    assert ev("1 >= s", s="a") is U


def test_string_ordering_between_strings():
    assert ev("'a' < 'b'") is True


# =========================================================================== three-valued logic

T, F = True, False
# Kleene's strong three-valued logic, written out by hand
AND = {(T, T): T, (T, F): F, (T, U): U, (F, T): F, (F, F): F, (F, U): F, (U, T): U, (U, F): F, (U, U): U}
OR = {(T, T): T, (T, F): T, (T, U): T, (F, T): T, (F, F): F, (F, U): U, (U, T): T, (U, F): U, (U, U): U}
NOT = {T: F, F: T, U: U}


def _env(value):
    return None if value is U else value


@pytest.mark.parametrize("a, b", list(AND))
def test_and_truth_table(a, b):
    assert ev("a and b", a=_env(a), b=_env(b)) is AND[(a, b)]


@pytest.mark.parametrize("a, b", list(OR))
def test_or_truth_table(a, b):
    assert ev("a or b", a=_env(a), b=_env(b)) is OR[(a, b)]


@pytest.mark.parametrize("a", list(NOT))
def test_not_truth_table(a):
    assert ev("not a", a=_env(a)) is NOT[a]


def test_or_is_true_when_one_known_side_is_true():
    assert ev("x > 1 or y > 1", y=2) is True  # x unknown
    assert ev("x > 1 or y > 1", x=2) is True  # y unknown
    assert ev("x > 1 or y > 1", y=0) is U
    assert ev("x > 1 or y > 1", x=0, y=0) is False


def test_and_is_false_when_one_side_is_false():
    assert ev("x > 1 and y > 1", y=0) is False
    assert ev("x > 1 and y > 1", x=0) is False
    assert ev("x > 1 and y > 1", y=2) is U
    assert ev("x > 1 and y > 1", x=2, y=2) is True


def test_many_operands_and_mixed_logic():
    assert ev("a and b and c", a=True, b=True) is U
    assert ev("a and b and c", a=True, c=False) is False
    assert ev("a or b or c", c=True) is True
    assert ev("not (a and b) or c", a=True, b=True, c=False) is False
    assert ev("not (x > 1)") is U


def test_logic_returns_booleans_not_operands():
    assert ev("a and b", a=3, b=5) is True
    assert ev("a or b", a=0, b="") is False
    assert ev("not a", a=0) is True


def test_true_and_false_literals():
    assert ev("true") is True
    assert ev("false") is False
    assert ev("true and not false") is True


def test_unknown_has_no_truth_value():
    with pytest.raises(TypeError):
        bool(UNKNOWN)
    assert repr(UNKNOWN) == "UNKNOWN"


# =========================================================================== min / max / abs


@pytest.mark.parametrize(
    "source, env, expected",
    [
        ("min(3, x, 2)", {"x": 5}, 2),
        ("max(1, 2.5)", {}, 2.5),
        ("abs(-4)", {}, 4),
        ("abs(x - 10)", {"x": 3}, 7),
        ("min(a, b) / max(a, b)", {"a": 2, "b": 8}, 0.25),
    ],
)
def test_functions(source, env, expected):
    assert ev(source, **env) == expected


@pytest.mark.parametrize(
    "source, env",
    [
        ("min(x, 1)", {}),
        ("max(1, x)", {"x": None}),
        ("abs(x)", {}),
        ("abs(s)", {"s": "text"}),
        ("min('a', 'b')", {}),
        ("max(1, flag)", {"flag": True}),
    ],
)
def test_functions_with_unknown_or_non_numbers_are_unknown(source, env):
    assert ev(source, **env) is U


@pytest.mark.parametrize("source", ["max(x)", "min(x)"])
def test_min_max_of_one_argument_is_that_argument(source):
    fn, _ = expr.parse(source)
    assert expr.evaluate(fn, {"x": 4}) == 4


@pytest.mark.parametrize("source", ["min()", "max()", "abs()", "abs(1, 2)"])
def test_function_arity_is_checked_at_parse_time(source):
    with pytest.raises(ExprError):
        expr.parse(source)


# =========================================================================== names


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x", {"x"}),
        ("a + b * min(c, 2) > d and not e", {"a", "b", "c", "d", "e"}),
        ("x > 1 or x < -1", {"x"}),
        ("true and 1 < 2", set()),  # true/false are constants, not names
        ("abs(-1) == 1", set()),  # function names are not names read
        ("status == 'won'", {"status"}),  # the string is not a name
        ("__import__ > 0", {"__import__"}),  # a plain name is only looked up in the environment
    ],
)
def test_parse_returns_the_names_read(source, expected):
    assert names_of(source) == expected


def test_names_are_only_looked_up_in_the_environment():
    # builtins are not visible: an unknown name is UNKNOWN, whatever it is called
    assert ev("__import__") is U
    assert ev("open") is U
    assert ev("len") is U


def test_condition_may_span_lines_and_carry_comments():
    assert ev("x > 1\n  and y > 1", x=2, y=2) is True
    assert ev("x > 1  # more than one", x=2) is True


def test_compiled_function_is_reusable_with_other_environments():
    fn, names = expr.parse("x >= limit")
    assert names == {"x", "limit"}
    assert expr.evaluate(fn, {"x": 1, "limit": 2}) is False
    assert expr.evaluate(fn, {"x": 3, "limit": 2}) is True
    assert expr.evaluate(fn, {"limit": 2}) is U


# =========================================================================== safety: rejected at parse time

REJECTED = [
    # attribute access
    "().__class__",
    "x.y",
    "x.__class__",
    "''.join",
    "min.__self__",
    "(1).real",
    "x.__class__.__mro__",
    # subscripts and slices
    "x[0]",
    "'abc'[0]",
    "x[1:2]",
    "x['k']",
    # calls of anything but min/max/abs
    "open('x')",
    "__import__('os')",
    "eval('1')",
    "exec('1')",
    "getattr(x, 'y')",
    "x()",
    "len(x)",
    "min(1)(2)",
    "(lambda: 1)()",
    "globals()",
    "breakpoint()",
    # lambdas and comprehensions
    "lambda: 1",
    "lambda x: x",
    "[x for x in y]",
    "{x for x in y}",
    "{x: 1 for x in y}",
    "(x for x in y)",
    # f-strings
    "f'{x}'",
    "f'abc'",
    "f'{x.__class__}'",
    # walrus
    "(x := 1)",
    "x := 1",
    "(y := x) > 0",
    # power, bitwise, floor division, modulo, matrix multiplication
    "2 ** 3",
    "x ** 2",
    "1 & 2",
    "1 | 2",
    "1 ^ 2",
    "~1",
    "1 << 2",
    "1 >> 2",
    "7 // 2",
    "7 % 2",
    "x @ y",
    # keyword and star arguments
    "max(1, key=abs)",
    "min(x, default=0)",
    "min(*x)",
    "min(**x)",
    # Python's constants and other literal kinds
    "None",
    "True",
    "False",
    "...",
    "b'x'",
    "1j",
    "x == None",
    "x is None",
    # other constructs
    "x if y else z",
    "[1, 2]",
    "(1, 2)",
    "1, 2",
    "{1: 2}",
    "{1}",
    "x in y",
    "x not in y",
    "x is y",
    "x is not y",
    "await x",
    "yield x",
    "*x",
    # statements and broken syntax
    "import os",
    "x = 1",
    "1; 2",
    "1 +",
    "(",
    ")",
    "'unterminated",
    "def f(): pass",
    # empty
    "",
    "   ",
    "\n\t",
]


@pytest.mark.parametrize("source", REJECTED)
def test_disallowed_constructs_are_rejected_at_parse_time(source):
    with pytest.raises(ExprError):
        expr.parse(source)


@pytest.mark.parametrize("source", [None, 5, b"x > 1", ["x"]])
def test_non_text_is_rejected(source):
    with pytest.raises(ExprError):
        expr.parse(source)


def test_error_names_the_construct():
    with pytest.raises(ExprError, match="Attribute"):
        expr.parse("x.y")
    with pytest.raises(ExprError, match="min, max and abs"):
        expr.parse("open('x')")
    with pytest.raises(ExprError, match="keyword"):
        expr.parse("max(1, key=abs)")
    with pytest.raises(ExprError, match="None"):
        expr.parse("None")
    with pytest.raises(ExprError, match="syntax error"):
        expr.parse("1 +")


def test_expr_error_is_a_value_error():
    assert issubclass(ExprError, ValueError)


def test_very_long_input_is_rejected():
    assert names_of("x" * 2000) == {"x" * 2000}  # at the limit: fine
    with pytest.raises(ExprError, match="longer"):
        expr.parse("x" * 2001)
    with pytest.raises(ExprError):
        expr.parse("x + " * 600 + "x")


@pytest.mark.parametrize(
    "source",
    [
        "-" * 60 + "1",
        "not " * 60 + "x",
        "+" * 1999 + "1",
        "-" * 1999 + "1",
        "not " * 499 + "x",
        "(" * 300 + "1" + ")" * 300,
        "abs(" * 100 + "1" + ")" * 100,
        "min(" * 300 + "1" + ")" * 300,
        "1" + " + 1" * 100,
        "[" * 600,
    ],
)
def test_deeply_nested_input_is_rejected(source):
    with pytest.raises(ExprError):
        expr.parse(source)


def test_moderate_nesting_is_fine():
    assert ev("-" * 10 + "1") == 1  # ten negations
    assert ev("(" * 20 + "x" + ")" * 20 + " + 1", x=1) == 2
    assert ev("1" + " + 1" * 20) == 21
    assert ev("x" + " < x" * 100, x=1) is False  # a long chain is flat, not nested


@pytest.mark.parametrize("source", ["1) or (2", "x) and (y"])
def test_unbalanced_parentheses_are_rejected(source):
    with pytest.raises(ExprError):
        expr.parse(source)


def test_null_byte_is_rejected():
    with pytest.raises(ExprError):
        expr.parse("x\x00")


def test_lone_surrogate_is_rejected_with_expr_error():
    with pytest.raises(ExprError):
        expr.parse("'\ud800'")


def test_huge_integer_division_is_unknown_not_an_exception():
    fn, _ = expr.parse("1" * 400 + " / 1")  # 400-digit int / 1 cannot be a float
    assert expr.evaluate(fn, {}) is U


# =========================================================================== properties


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_parse_of_arbitrary_text_returns_or_raises_expr_error(source):
    try:
        fn, names = expr.parse(source)
    except ExprError:
        return
    assert callable(fn)
    assert isinstance(names, set) and all(isinstance(n, str) for n in names)


TOKENS = [
    "x",
    "y",
    "1",
    "0",
    "2.5",
    "'a'",
    " ",
    "(",
    ")",
    "+",
    "-",
    "*",
    "/",
    "**",
    "<",
    "<=",
    "==",
    "!=",
    " and ",
    " or ",
    "not ",
    "min(",
    "max(",
    "abs(",
    ",",
    ".",
    "[",
    "]",
    "true",
    "false",
    "None",
    "lambda ",
    ":",
    "=",
    "__class__",
    "f'",
    "{",
    "}",
    " if ",
    " else ",
    " for ",
    " in ",
    "\n",
    "#",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["a", "b", ""]),
)


@pytest.mark.filterwarnings("ignore::SyntaxWarning", "ignore::DeprecationWarning")
@settings(max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join), VALUES, VALUES)
def test_token_soup_parses_safely_and_evaluates_without_exceptions(source, x, y):
    try:
        fn, names = expr.parse(source)
    except ExprError:
        return
    assert all(n.isidentifier() for n in names)
    env = {n: (x if i % 2 == 0 else y) for i, n in enumerate(sorted(names))}
    result = expr.evaluate(fn, env)
    assert result is U or type(result) in (bool, int, float, str)
