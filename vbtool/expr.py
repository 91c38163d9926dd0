"""Expressions inside YAML text: `{{ ty_le(1487, 1611) }}`, `{{ don_vi.ten }}`.

Why a gate on the first name: a plan's prose may legitimately contain "{{" or
"{%" (and must print them literally), while drafters also want figures and,
in a batch, the unit's fields computed into the text. So an expression is
evaluated only when it starts with a number or a name vbtool provides
(``don_vi``, ``so_lieu`` and the number helpers); any other ``{{ … }}`` and
every ``{% … %}`` stays as written. Evaluation runs in Jinja2's immutable
sandbox with StrictUndefined: an unknown field is an error, never a blank.
``\\{{`` prints ``{{`` and is never evaluated (what ``vbtool import`` writes for
braces typed in Word).

Bounds (issue 9): the work is bounded *before* it is done. Only the filters,
functions and methods a document needs exist; `**`, `*` and `%` check the size
of their result from their operands; the helpers check their arguments; each
expression has a wall-clock limit; a result may not carry a character XML 1.0
forbids.
"""
from __future__ import annotations

import inspect
import re
import signal
import threading
from functools import lru_cache

from .numwords import BO_LOC
from .xmlchars import describe, first_illegal

# Jinja2 is imported on the first expression only: most plans have none, and
# importing it costs a third of a `vbtool render` (bench/render.py).

FUNCTIONS = {"ty_le", "phan_so", "so", "so_chu", "tien_chu", "thu_tu", "so_dem"}
KNOWN_ROOTS = {"don_vi", "so_lieu"} | FUNCTIONS
_ROOT = re.compile(r"\s*(-?\d|[A-Za-z_]\w*)")


class ExprError(ValueError):
    """A failed expression; the message is Vietnamese and ready to print."""


MAX_RESULT = 10_000          # characters one expression may produce
MAX_POWER = 64               # largest exponent of **
MAX_REPEAT = 1_000           # largest repetition of a string or list by *
MAX_INT_BITS = 400           # ~120 decimal digits: no figure in a document is larger
MAX_NUMBER = 10 ** 30        # largest number a vbtool helper reads
MAX_DIGITS = 20              # largest number of decimals or padding width a helper takes
MAX_FORMAT_WIDTH = 100       # largest width or precision in 'x' % y
TIME_LIMIT = 2.0             # seconds of wall clock for one expression

# What a document needs, and nothing else: every other Jinja filter, global and
# method is refused, so that `center(10**9)`, `lipsum(10**6)`, `indent`,
# `format`, `join`, `replace` … cannot build a huge value before the result
# length is known.
SAFE_FILTERS = frozenset({"abs", "capitalize", "count", "d", "default", "first", "float", "int", "last",
                          "length", "lower", "max", "min", "round", "string", "sum", "title", "trim", "upper"})
SAFE_METHODS = frozenset({"upper", "lower", "capitalize", "title", "strip", "lstrip", "rstrip",
                          "startswith", "endswith", "isdigit", "get", "keys", "values", "items"})
_FORMAT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


def _int_bits(x) -> int:
    return abs(x).bit_length() if isinstance(x, int) and not isinstance(x, bool) else 0


def _check_binop(operator: str, left, right) -> None:
    seq = (str, list, tuple)
    if operator == "**":
        if isinstance(right, (int, float)) and abs(right) > MAX_POWER:
            raise ValueError(f"số mũ quá lớn (tối đa {MAX_POWER})")
        if isinstance(right, (int, float)) and _int_bits(left) * max(right, 0) > MAX_INT_BITS:
            raise ValueError("kết quả phép lũy thừa quá lớn")
    elif operator == "*":
        if isinstance(left, seq) or isinstance(right, seq):
            s, n = (left, right) if isinstance(left, seq) else (right, left)
            if isinstance(n, int) and (n > MAX_REPEAT or len(s) * max(n, 0) > MAX_RESULT):
                raise ValueError(f"lặp chuỗi quá nhiều lần (tối đa {MAX_REPEAT} lần, {MAX_RESULT} ký tự)")
        elif _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
            raise ValueError("kết quả phép nhân quá lớn")
    elif operator == "%" and isinstance(left, str):
        for m in _FORMAT_SPEC.finditer(left):
            for part in (m.group(1), m.group(2)):
                if part == "*" or (part and (len(part) > 3 or int(part) > MAX_FORMAT_WIDTH)):
                    raise ValueError(f"độ rộng định dạng quá lớn (tối đa {MAX_FORMAT_WIDTH})")


def _strict(fn):
    """A helper given an undefined value names the missing field instead of
    saying "không phải là số: Undefined"; its arguments are bounded before it
    runs (`so_dem(1, 10**9)` would pad to a gigabyte)."""
    from jinja2 import Undefined
    sig = inspect.signature(fn)

    def wrapped(*args, **kwargs):
        for a in (*args, *kwargs.values()):
            if isinstance(a, Undefined):
                a._fail_with_undefined_error()
        try:
            bound = sig.bind(*args, **kwargs)
        except TypeError:
            raise ValueError("số đối số không đúng") from None
        for name, a in bound.arguments.items():
            if isinstance(a, (int, float)) and not isinstance(a, bool):
                if name in ("chu_so_thap_phan", "do_rong") and abs(a) > MAX_DIGITS:
                    raise ValueError(f"{name} quá lớn (tối đa {MAX_DIGITS})")
                if abs(a) >= MAX_NUMBER:
                    raise ValueError("số quá lớn (tối đa 30 chữ số)")
        return fn(*args, **kwargs)
    wrapped._vbtool_helper = True
    return wrapped


@lru_cache(maxsize=1)
def _env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class _Env(ImmutableSandboxedEnvironment):
        """The sandbox also bounds arithmetic *before* computing: `9**9**9`,
        `((9**64)**64)**64`, `'x' * 10**8` or `'%0999999999d' % 1` would otherwise
        hang the process or fill the memory."""

        intercepted_binops = frozenset(["**", "*", "%"])

        def call_binop(self, context, operator, left, right):
            _check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
            # only vbtool's helpers and a few harmless methods of str/dict may be called
            if not getattr(__obj, "_vbtool_helper", False):
                name = getattr(__obj, "__name__", "?")
                owner = getattr(__obj, "__self__", None)
                if owner is None or isinstance(owner, type(inspect)) or name not in SAFE_METHODS:
                    raise ValueError(f"không dùng được hàm {name}() trong biểu thức")
            return super().call(__context, __obj, *args, **kwargs)

    env = _Env(undefined=StrictUndefined, autoescape=False)
    helpers = {name: _strict(fn) for name, fn in BO_LOC.items()}
    env.filters = {k: v for k, v in env.filters.items() if k in SAFE_FILTERS}
    env.filters.update(helpers)
    env.globals.clear()
    env.globals.update(helpers)
    return env


@lru_cache(maxsize=4096)
def _compile(expr: str):
    return _env().from_string("{{" + expr + "}}")


_FILTER = re.compile(r"\|\s*(" + "|".join(sorted(FUNCTIONS)) + r")\b")


def is_expression(inner: str) -> bool:
    """Evaluated: starts with a number or a vbtool name, or pipes into a vbtool helper."""
    m = _ROOT.match(inner)
    if m and (m.group(1)[0].isdigit() or m.group(1)[0] == "-" or m.group(1) in KNOWN_ROOTS):
        return True
    return bool(_FILTER.search(inner))


def find_expressions(text: str):
    """(start, end, inner, escaped) of each `{{ … }}` in order, as the
    non-greedy `\\{\\{(.*?)\\}\\}` would find them, in linear time: when an
    opener has no closer after it, no later opener has one either (a regex
    rescans the rest of the text from every `{{`). `\\{{` is an escape."""
    pos = 0
    while True:
        i = text.find("{{", pos)
        if i < 0:
            return
        if i > 0 and text[i - 1] == "\\":
            yield i - 1, i + 2, None, True
            pos = i + 2
            continue
        j = text.find("}}", i + 2)
        if j < 0:
            return
        yield i, j + 2, text[i + 2:j], False
        pos = j + 2


def has_expressions(text: str) -> bool:
    return "{{" in text and any(escaped or is_expression(inner)
                                for _, _, inner, escaped in find_expressions(text))


class _Timeout(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Timeout


def _with_time_limit(fn):
    """Run fn under a wall-clock limit (SIGALRM; only in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return fn()
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def expand(text: str, context: dict) -> str:
    """Evaluate the vbtool expressions of one string; raise ExprError."""
    out, pos = [], 0
    for start, end, inner, escaped in find_expressions(text):
        out.append(text[pos:start])
        out.append("{{" if escaped else _one(text[start:end], inner, context))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _one(whole: str, inner: str, context: dict) -> str:
    if not is_expression(inner):
        return whole
    m_root = _ROOT.match(inner)
    root = m_root.group(1) if m_root else ""
    if root == "don_vi" and context.get("don_vi") is None:
        raise ExprError("{{ don_vi… }} chỉ dùng khi dựng hàng loạt theo đơn vị (vbtool batch)")
    from jinja2 import TemplateError, UndefinedError
    try:
        out = _with_time_limit(lambda: _compile(inner).render(context))
        if len(out) > MAX_RESULT:
            raise ValueError(f"kết quả dài quá {MAX_RESULT} ký tự")
        bad = first_illegal(out)
        if bad:
            raise ValueError("kết quả " + describe(bad))
        return out
    except _Timeout:
        raise ExprError(f"biểu thức {{{{{inner}}}}}: tính quá {TIME_LIMIT:g} giây, đã dừng") from None
    except UndefinedError as exc:
        raise ExprError(f"biểu thức {{{{{inner}}}}}: không có trường này ({_undefined_name(exc)})") from None
    except TemplateError as exc:
        m = re.match(r"No (filter|test) named '([^']+)'", exc.message or "")
        if m:
            raise ExprError(f"biểu thức {{{{{inner}}}}}: không dùng được bộ lọc \"{m.group(2)}\" trong văn bản; dùng: "
                            + ", ".join(sorted(set(SAFE_FILTERS) | FUNCTIONS))) from None
        raise ExprError(f"biểu thức {{{{{inner}}}}} không hợp lệ: {exc.message}") from None
    except (ValueError, ZeroDivisionError) as exc:
        raise ExprError(f"biểu thức {{{{{inner}}}}}: {exc}") from None
    except (TypeError, OverflowError, ArithmeticError, RecursionError, MemoryError):
        raise ExprError(f"biểu thức {{{{{inner}}}}}: phép tính không thực hiện được với các giá trị này") from None


def _undefined_name(exc) -> str:
    m = re.search(r"'([^']+)'(?: is undefined| has no attribute '([^']+)')", str(exc))
    if not m:
        return str(exc)
    return m.group(2) or m.group(1)
