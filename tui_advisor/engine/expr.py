"""The rules' condition language: a safe, tiny subset of Python expressions.

Grammar (anything else is rejected when the rules are loaded)::

    expr   := expr ("and" | "or") expr | "not" expr
            | expr ("<" | "<=" | ">" | ">=" | "==" | "!=") expr   (chains allowed)
            | expr ("+" | "-" | "*" | "/") expr | "-" expr
            | NAME | NUMBER | STRING | "true" | "false"
            | ("min" | "max" | "abs") "(" expr ("," expr)* ")"

Names are metrics, the rule's parameters, or fields of the finding a rule runs
over. The source is parsed with :mod:`ast` and compiled into closures: nothing
is ever ``eval``-ed, and no attribute, subscript, call of anything else,
lambda or comprehension can be written, so a shared rule file cannot reach any
object of the process.

Unknown values (a metric that lacks data) propagate: arithmetic or comparison
with an unknown is unknown; ``and``/``or`` follow three-valued logic, so
``x > 1 or y > 1`` is true as soon as one known side is true.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Container, Mapping
from typing import Any


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value")


UNKNOWN: Any = _Unknown()

Compiled = Callable[[Mapping[str, Any]], Any]


class ExprError(ValueError):
    pass


_CMP = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
_BIN = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_FUNCS: dict[str, Callable[..., Any]] = {"min": min, "max": max, "abs": abs}
_CONSTS = {"true": True, "false": False}
_SYMBOL = {
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
}


def _is_num(v: Any) -> bool:
    return type(v) in (int, float)


def parse(source: str) -> tuple[Compiled, set[str]]:
    """Compile ``source``; return the evaluator and the names it reads.

    Raises ExprError naming the construct that is not allowed.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExprError("the expression is empty")
    if len(source) > 2000:
        raise ExprError("the expression is longer than 2000 characters")
    # A condition may span several lines of a TOML string: join them.
    text = " ".join(source.split("\n")).strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"syntax error at column {exc.offset}: {exc.msg}") from None
    except ValueError as exc:  # e.g. a lone surrogate, or a NUL character
        raise ExprError(f"the expression cannot be read: {exc}") from None
    names: set[str] = set()
    fn = _compile(tree.body, names, depth=0)
    return Expression(fn, tree.body), names


class Expression:
    """A compiled condition: call it with a mapping of names (``fn(env)``), or :meth:`bind` it
    to the names that stay the same over many evaluations (a per-item rule's metrics and
    parameters) for a faster function of the varying ones."""

    __slots__ = ("fn", "tree")

    def __init__(self, fn: Compiled, tree: ast.expr):
        self.fn = fn
        self.tree = tree

    def __call__(self, env: Mapping[str, Any]) -> Any:
        return self.fn(env)

    def bind(self, scope: Mapping[str, Any], varying: Container[str]) -> Compiled:
        """``item -> value``, the same as evaluating on the names of ``item`` first, then those of
        ``scope`` (the per-item rules' _ItemEnv). Only the names in ``varying`` are looked up in
        the item (``varying`` must hold every key any item has); every other name is the constant
        ``scope`` gives, and a part of the expression that reads no varying name is worked out
        once, here, instead of once per item."""
        const, value = _bind(self.tree, scope, varying)
        if const:
            return lambda item: value
        fn: Compiled = value
        return fn


_MISSING = object()


def _bind(node: ast.AST, scope: Mapping[str, Any], varying: Container[str]) -> tuple[bool, Any]:
    """(True, the value) for a part that reads no varying name, else (False, item -> value). The
    tree was checked by _compile; every operation goes through the same helpers, so the values
    are the same as _compile's."""
    if isinstance(node, ast.Constant):
        return True, node.value
    if isinstance(node, ast.Name):
        name = node.id
        if name in _CONSTS:
            return True, _CONSTS[name]
        c = scope.get(name)
        fallback = UNKNOWN if c is None else c
        if name not in varying:
            return True, fallback

        def lookup(item: Mapping[str, Any]) -> Any:
            v = item.get(name, _MISSING)
            if v is _MISSING:
                return fallback
            return UNKNOWN if v is None else v

        return False, lookup
    if isinstance(node, ast.BoolOp):
        is_and = isinstance(node.op, ast.And)
        parts: list[Compiled] = []
        base_unknown = False
        for sub in node.values:
            const, v = _bind(sub, scope, varying)
            if not const:
                parts.append(v)
            elif v is UNKNOWN:
                base_unknown = True
            elif is_and and not v:
                return True, False  # and: one false part makes it false whatever the others are
            elif not is_and and v:
                return True, True
        if not parts:
            return True, UNKNOWN if base_unknown else is_and
        if len(parts) == 1 and not base_unknown:
            only = parts[0]
            return False, lambda item: _truth(only(item))
        if is_and:
            return False, lambda item: _and_from(parts, item, base_unknown)
        return False, lambda item: _or_from(parts, item, base_unknown)
    if isinstance(node, ast.UnaryOp):
        const, v = _bind(node.operand, scope, varying)
        if isinstance(node.op, ast.UAdd):
            return const, v
        func = _not if isinstance(node.op, ast.Not) else _neg
        if const:
            return True, func(v)
        operand: Compiled = v
        return False, lambda item: func(operand(item))
    if isinstance(node, ast.BinOp):
        op = _BIN[type(node.op)]
        lc, lv = _bind(node.left, scope, varying)
        rc, rv = _bind(node.right, scope, varying)
        if lc and rc:
            return True, _arith(op, lv, rv)
        if lc:
            return False, lambda item: _arith(op, lv, rv(item))
        if rc:
            return False, lambda item: _arith(op, lv(item), rv)
        return False, lambda item: _arith(op, lv(item), rv(item))
    if isinstance(node, ast.Compare):
        ops = [_CMP[type(o)] for o in node.ops]
        bound = [_bind(n, scope, varying) for n in [node.left, *node.comparators]]
        if all(c for c, _ in bound):
            return True, _compare(ops, [_constant(v) for _, v in bound], {})
        if len(ops) == 1:
            f = ops[0]
            (lc, lv), (rc, rv) = bound
            if lc:
                return False, lambda item: _compare1(f, lv, rv(item))
            if rc:
                return False, lambda item: _compare1(f, lv(item), rv)
            return False, lambda item: _compare1(f, lv(item), rv(item))
        operands = [_constant(v) if c else v for c, v in bound]
        return False, lambda item: _compare(ops, operands, item)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        call = _FUNCS[node.func.id]
        args = [_bind(a, scope, varying) for a in node.args]
        if all(c for c, _ in args):
            return True, _call(call, [v for _, v in args])
        fns = [_constant(v) if c else v for c, v in args]
        return False, lambda item: _call(call, [a(item) for a in fns])
    raise ExprError(f"{type(node).__name__} is not allowed in a condition")  # _compile refused it already


def _constant(value: Any) -> Compiled:
    return lambda env: value


def _compile(node: ast.AST, names: set[str], depth: int) -> Compiled:
    if depth > 50:
        raise ExprError("the expression is nested too deeply")
    d = depth + 1
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) not in (int, float, str):
            raise ExprError(f"constant {value!r} is not allowed (numbers and strings only)")
        return lambda env: value
    if isinstance(node, ast.Name):
        name = node.id
        if name in _CONSTS:
            const = _CONSTS[name]
            return lambda env: const
        names.add(name)

        def lookup(env: Mapping[str, Any]) -> Any:
            v = env.get(name)
            return UNKNOWN if v is None else v

        return lookup
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v, names, d) for v in node.values]
        if isinstance(node.op, ast.And):
            return lambda env: _and(parts, env)
        return lambda env: _or(parts, env)
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand, names, d)
        if isinstance(node.op, ast.Not):
            return lambda env: _not(operand(env))
        if isinstance(node.op, ast.USub):
            return lambda env: _neg(operand(env))
        if isinstance(node.op, ast.UAdd):
            return operand
        raise ExprError(f"operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.BinOp):
        op = _BIN.get(type(node.op))
        if op is None:
            raise ExprError(f"operator {type(node.op).__name__} is not allowed (use + - * /)")
        left, right = _compile(node.left, names, d), _compile(node.right, names, d)
        return lambda env: _arith(op, left(env), right(env))
    if isinstance(node, ast.Compare):
        ops = []
        for o in node.ops:
            f = _CMP.get(type(o))
            if f is None:
                raise ExprError(f"comparison {type(o).__name__} is not allowed (use < <= > >= == !=)")
            ops.append(f)
        operands = [_compile(node.left, names, d)] + [_compile(c, names, d) for c in node.comparators]
        return lambda env: _compare(ops, operands, env)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCS:
            raise ExprError("only the functions min, max and abs may be called")
        if node.keywords:
            raise ExprError("keyword arguments are not allowed")
        if not node.args:
            raise ExprError(f"{node.func.id}() needs at least one argument")
        func = _FUNCS[node.func.id]
        if func is abs and len(node.args) != 1:
            raise ExprError("abs() takes exactly one argument")
        args = [_compile(a, names, d) for a in node.args]
        return lambda env: _call(func, [a(env) for a in args])
    raise ExprError(
        f"{type(node).__name__} is not allowed in a condition "
        "(allowed: names, numbers, strings, comparisons, and/or/not, + - * /, min/max/abs)"
    )


def _and(parts: list[Compiled], env: Mapping[str, Any]) -> Any:
    unknown = False
    for p in parts:
        v = p(env)
        if v is UNKNOWN:
            unknown = True
        elif not v:
            return False
    return UNKNOWN if unknown else True


def _and_from(parts: list[Compiled], item: Mapping[str, Any], unknown: bool) -> Any:
    """_and of the varying parts, ``unknown`` when a constant part was unknown."""
    for p in parts:
        v = p(item)
        if v is UNKNOWN:
            unknown = True
        elif not v:
            return False
    return UNKNOWN if unknown else True


def _truth(v: Any) -> Any:
    """``and``/``or`` of one part: True, False or UNKNOWN."""
    return UNKNOWN if v is UNKNOWN else bool(v)


def _or_from(parts: list[Compiled], item: Mapping[str, Any], unknown: bool) -> Any:
    for p in parts:
        v = p(item)
        if v is UNKNOWN:
            unknown = True
        elif v:
            return True
    return UNKNOWN if unknown else False


def _or(parts: list[Compiled], env: Mapping[str, Any]) -> Any:
    unknown = False
    for p in parts:
        v = p(env)
        if v is UNKNOWN:
            unknown = True
        elif v:
            return True
    return UNKNOWN if unknown else False


def _not(v: Any) -> Any:
    return UNKNOWN if v is UNKNOWN else (not v)


def _neg(v: Any) -> Any:
    if v is UNKNOWN or not _is_num(v):
        return UNKNOWN
    return -v


def _arith(op: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if type(a) is bool:
        a = int(a)
    if type(b) is bool:
        b = int(b)
    if not (_is_num(a) and _is_num(b)):
        return UNKNOWN
    try:
        result = op(a, b)
    except (ZeroDivisionError, OverflowError):
        return UNKNOWN
    if type(result) is float and not math.isfinite(result):  # float / and * overflow to inf silently
        return UNKNOWN
    return result


def _compare(ops: list[Callable[[Any, Any], bool]], operands: list[Compiled], env: Mapping[str, Any]) -> Any:
    values = [o(env) for o in operands]
    unknown = False
    for f, a, b in zip(ops, values, values[1:]):
        if a is UNKNOWN or b is UNKNOWN:
            unknown = True
            continue
        if isinstance(a, str) != isinstance(b, str):
            if f in (operator.eq, operator.ne):
                result = f is operator.ne
            else:
                unknown = True
                continue
        else:
            result = f(a, b)
        if not result:
            return False
    return UNKNOWN if unknown else True


def _compare1(f: Callable[[Any, Any], bool], a: Any, b: Any) -> Any:
    """_compare of one comparison (``a < b``)."""
    if a is UNKNOWN or b is UNKNOWN:
        return UNKNOWN
    if isinstance(a, str) != isinstance(b, str):
        if f is operator.eq or f is operator.ne:
            return f is operator.ne
        return UNKNOWN
    return bool(f(a, b))


def _call(func: Callable[..., Any], args: list[Any]) -> Any:
    if any(a is UNKNOWN or not _is_num(a) for a in args):
        return UNKNOWN
    if len(args) == 1 and func is not abs:
        return args[0]  # min(x) and max(x) of one value
    return func(*args)


def evaluate(fn: Compiled, env: Mapping[str, Any]) -> Any:
    """Evaluate a compiled expression: a value, True/False, or UNKNOWN."""
    return fn(env)
