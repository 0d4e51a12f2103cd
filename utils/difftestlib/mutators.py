"""The mutator catalogue: seeded, text-level edits that keep the code valid.

Each mutator lists the sites of a file where it applies (`sites`), each site a
tuple whose first element names a variant; `apply` returns the file's new text
for one site. Names in inserted code carry the step number (`uid`), so edits
never collide. Whether an edit changes the object file is for the compiler to
say: the plain build is the oracle, not the mutator.
"""

import re

from .lexer import Source

HEADER_SUFFIXES = (".h", ".hh", ".hpp", ".hxx", ".inc", ".inl")
_LITERAL = re.compile(r"(?<![\w.'])(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)([uU]?[lL]{0,2}[uU]?)(?![\w.'])")
_LOCAL_DECL = re.compile(
    r"\b(?:const\s+)?(?:int|bool|size_t|char|double|float|long|unsigned|auto|"
    r"(?:::)?std::string|std::size_t|u?int(?:8|16|32|64)_t|string)\s*[*&]?\s*"
    r"([a-z_][a-z0-9_]*)\s*(?=[=;({\[])")
_KEYWORDS = {"const", "return", "int", "auto", "if", "for", "while", "new", "delete",
             "sizeof", "operator", "true", "false", "nullptr", "this", "case"}


def is_header(path):
    return path.endswith(HEADER_SUFFIXES)


def _prev_code_char(src, p):
    s = src.stext
    p -= 1
    while p >= 0 and s[p] in " \t\n":
        p -= 1
    return s[p] if p >= 0 else ""


def _next_code_char(src, p):
    s = src.stext
    while p < len(s) and s[p] in " \t\n":
        p += 1
    return s[p] if p < len(s) else ""


def _line_text(src, p):
    start = src.text.rfind("\n", 0, p) + 1
    end = src.text.find("\n", p)
    return src.text[start:len(src.text) if end < 0 else end]


def _directive_name(src, p):
    m = re.match(r"\s*#\s*(\w+)", _line_text(src, p))
    return m.group(1) if m else ""


def _literals(src, lo=0, hi=None, directives=()):
    """Integer literals in code between lo and hi; in directives only those
    whose directive is one of `directives`."""
    for m in _LITERAL.finditer(src.text, lo, len(src.text) if hi is None else hi):
        p = m.start()
        if src.noncode[p]:
            continue
        if src.directive[p] and _directive_name(src, p) not in directives:
            continue
        t = src.text
        if p >= 2 and t[p - 1] in "+-" and t[p - 2] in "eEpP" and p >= 3 and \
                (t[p - 3].isdigit() or t[p - 3] == "."):
            continue  # exponent of a floating literal
        yield m


def _value_change(m):
    digits, suffix = m.group(1), m.group(2)
    if digits.lower().startswith("0x"):
        return "0x%x" % (int(digits, 16) + 1) + suffix
    return str(int(digits) + 1) + suffix


def _body_literals(src, lo, hi):
    """Literals in statements of function bodies: not 0 (a null pointer), not a
    case label or template argument (the edit would not compile)."""
    for m in _literals(src, lo, hi):
        p = m.start()
        if src.directive[p] or m.group(1) == "0":
            continue
        idx = src.enclosing(p)
        if idx is None or not src.in_function(idx):
            continue
        if _prev_code_char(src, p) in "<" or _next_code_char(src, m.end()) in ">":
            continue
        if re.search(r"\bcase\s*$", src.stext[max(0, p - 12):p]):
            continue
        yield m


def _effect(uid, constexpr_ok):
    if uid % 2 or not constexpr_ok:
        return "{ static int hotast_dt_%d = 0; ++hotast_dt_%d; }" % (uid, uid)
    return "{ volatile int hotast_dt_%d = %d; (void)hotast_dt_%d; }" % (uid, uid, uid)


def _insert(text, p, new):
    return text[:p] + new + text[p:]


def _replace(text, lo, hi, new):
    return text[:lo] + new + text[hi:]


def _statement_braces(src):
    return [i for i, b in enumerate(src.braces)
            if src.statement_brace(i) and "constexpr" not in b.header
            and b.close > b.open]


class Mutator:
    name = ""
    about = ""
    headers_only = False
    structural = False  # needs balanced braces
    cxx_only = False    # produces C++ (files that C sources read are "c")

    def sites(self, src, path, lang):
        raise NotImplementedError

    def apply(self, src, site, uid):
        raise NotImplementedError

    def pick(self, sites, rng):
        """A variant first (each equally likely), then one of its sites."""
        variants = sorted({s[0] for s in sites})
        v = variants[rng.randrange(len(variants))]
        chosen = [s for s in sites if s[0] == v]
        return chosen[rng.randrange(len(chosen))]


class CommentLine(Mutator):
    name = "comment-line"
    about = "a `//` comment: on its own new line (lines shift) or at the end of a line (no shift)"

    def sites(self, src, path, lang):
        out = [("own-line", p) for p in src.safe_line_starts()]
        for p in src.line_starts[1:]:
            nl = p - 1
            if nl > 0 and src.text[nl - 1] != "\\" and not src.noncode[nl]:
                out.append(("end-of-line", nl))
        return out

    def apply(self, src, site, uid):
        kind, p = site
        if kind == "own-line":
            indent = re.match(r"[ \t]*", src.text[p:]).group()
            return _insert(src.text, p, "%s// difftest comment %d\n" % (indent, uid))
        return _insert(src.text, p, "  // difftest comment %d" % uid)


class CommentBlock(Mutator):
    name = "comment-block"
    about = "a `/* */` comment: inside a line between tokens (no shift) or over new lines (lines shift)"

    def sites(self, src, path, lang):
        out = [("lines", p) for p in src.safe_line_starts()]
        for m in re.finditer(r"(?<=\S) (?=\S)", src.text):
            p = m.start()
            if not src.noncode[p] and not src.noncode[p - 1] and not src.noncode[p + 1]:
                out.append(("inline", p))
        return out

    def apply(self, src, site, uid):
        kind, p = site
        if kind == "lines":
            return _insert(src.text, p, "/* difftest\n * comment %d\n */\n" % uid)
        return _insert(src.text, p, " /* difftest %d */" % uid)


class Whitespace(Mutator):
    name = "whitespace"
    about = "indentation of a line, a space after a comma, trailing spaces (no line shifts)"

    def sites(self, src, path, lang):
        out = []
        for p in src.safe_line_starts():
            if src.text[p] in " \t" and not src.directive[p]:
                out.append(("indent", p))
        for m in re.finditer(r", ", src.text):
            if not src.noncode[m.start()] and not src.directive[m.start()]:
                out.append(("comma", m.end()))
        for p in src.line_starts[1:]:
            nl = p - 1
            if nl > 0 and src.text[nl - 1] not in "\\\n" and not src.noncode[nl]:
                out.append(("trailing", nl))
        return out

    def apply(self, src, site, uid):
        kind, p = site
        if kind == "indent":
            if src.text.startswith("  ", p) and uid % 2:
                return _replace(src.text, p, p + 2, "")
            return _insert(src.text, p, "  ")
        if kind == "comma":
            return _insert(src.text, p, " " * (1 + uid % 3))
        return _insert(src.text, p, "   ")


class BlankLines(Mutator):
    name = "blank-lines"
    about = "a blank line inserted, or one removed (lines shift)"

    def sites(self, src, path, lang):
        out = [("insert", p) for p in src.safe_line_starts()]
        for m in re.finditer(r"(?m)^[ \t]*\n", src.text):
            p = m.start()
            if p > 0 and not src.noncode[p] and not src.directive[p] and \
                    not (p >= 2 and src.text[p - 2] == "\\"):
                out.append(("remove", p, m.end()))
        return out

    def apply(self, src, site, uid):
        if site[0] == "insert":
            return _insert(src.text, site[1], "\n" * (1 + uid % 2))
        return _replace(src.text, site[1], site[2], "")


class LiteralSpelling(Mutator):
    name = "literal-spelling"
    about = "an integer literal respelled: decimal to hex, hex to decimal (same value)"

    def sites(self, src, path, lang):
        return [("literal", m.start(), m.end(), m.group(1), m.group(2))
                for m in _literals(src, directives=("define", "if", "elif"))]

    def apply(self, src, site, uid):
        _, lo, hi, digits, suffix = site
        if digits.lower().startswith("0x"):
            new = str(int(digits, 16))
        else:
            new = ("0x%x" if uid % 2 else "0X%X") % int(digits)
        return _replace(src.text, lo, hi, new + suffix)


class LocalRename(Mutator):
    name = "local-rename"
    about = "a local variable renamed, declaration to end of its block"
    structural = True

    def sites(self, src, path, lang):
        out = []
        for m in _LOCAL_DECL.finditer(src.stext):
            p, name = m.start(1), m.group(1)
            if name in _KEYWORDS:
                continue
            idx = src.enclosing(p)
            if idx is None or not src.in_function(idx):
                continue
            out.append(("local", p, name, src.braces[idx].close))
        return out

    def apply(self, src, site, uid):
        _, p, name, end = site
        new = "%s_r%d" % (name, uid)
        text, pieces, last = src.text, [], p
        for m in re.finditer(r"\b%s\b" % re.escape(name), text[:end]):
            q = m.start()
            if q < p or src.noncode[q] or src.directive[q]:
                continue
            before = src.stext[max(0, q - 3):q].rstrip()
            if before.endswith((".", "->", "::")):
                continue
            pieces.append(text[last:q] + new)
            last = m.end()
        return text[:p] + "".join(pieces) + text[last:]


class LiteralValue(Mutator):
    name = "literal-value"
    about = "an integer literal in a function body changed (N to N+1)"
    structural = True

    def sites(self, src, path, lang):
        return [("value", m.start(), m.end()) for m in _body_literals(src, 0, None)]

    def apply(self, src, site, uid):
        _, lo, hi = site
        m = _LITERAL.match(src.text, lo, hi)
        return _replace(src.text, lo, hi, _value_change(m))


class StatementNoop(Mutator):
    name = "stmt-noop"
    about = "a statement without effect (`;`, `(void)0;`, `{}`) at the start of a block"
    structural = True

    def sites(self, src, path, lang):
        return [("noop", src.braces[i].open + 1) for i in _statement_braces(src)]

    def apply(self, src, site, uid):
        stmt = [" ;", " (void)0;", " {}", "\n  ;"][uid % 4]
        return _insert(src.text, site[1], stmt)


class StatementEffect(Mutator):
    name = "stmt-effect"
    about = "a statement with a side effect (static counter, volatile store) at the start of a block"
    structural = True

    def sites(self, src, path, lang):
        return [("effect", src.braces[i].open + 1) for i in _statement_braces(src)]

    def apply(self, src, site, uid):
        sep = "\n  " if uid % 3 == 0 else " "
        return _insert(src.text, site[1], sep + _effect(uid, True))


class HeaderInlineBody(Mutator):
    name = "header-inline-body"
    about = ("the body of an inline function (or function template) in a header: a literal or a "
             "new statement (one in five an unused local, which -Wall warns about)")
    headers_only = True
    structural = True

    def sites(self, src, path, lang):
        out = []
        for i, b in enumerate(src.braces):
            if b.kind != "function" or "constexpr" in b.header:
                continue
            out.append(("statement", b.open + 1))
            out.extend(("literal", m.start(), m.end())
                       for m in _body_literals(src, b.open, b.close))
        return out

    def apply(self, src, site, uid):
        if site[0] == "statement":
            if uid % 5 == 0:
                # What the compiler prints must follow: the warning, in
                # every unit that reads the header.
                return _insert(src.text, site[1], " int hotast_dt_%d;" % uid)
            return _insert(src.text, site[1], " " + _effect(uid, True))
        return LiteralValue().apply(src, site, uid)


class HeaderOverload(Mutator):
    name = "header-overload"
    about = "a new overload of a function of a header, taking a new tag type"
    headers_only = True
    structural = True
    cxx_only = True

    def sites(self, src, path, lang):
        out = []
        for b in src.braces:
            if b.kind != "function" or not b.name or re.fullmatch(r"[A-Z0-9_]+", b.name):
                continue
            parent = src.braces[b.parent] if b.parent is not None else None
            if parent is not None and (parent.kind not in ("namespace", "class")
                                       or parent.name == b.name):
                continue
            end = b.close + 1
            if src.stext[end:end + 1] == ";":
                end += 1
            out.append(("overload", end, b.name))
        return out

    def apply(self, src, site, uid):
        _, p, name = site
        sep = "\n" if uid % 2 else " "
        return _insert(src.text, p, "%sstruct HotastDtTag%d {};%sinline int %s(HotastDtTag%d) { return %d; }"
                       % (sep, uid, sep, name, uid, uid))


class DefaultArgument(Mutator):
    name = "default-arg"
    about = "a default argument's value changed (N to N+1, true to false)"
    structural = True
    cxx_only = True

    def sites(self, src, path, lang):
        out = []
        for m in re.finditer(r"(?<![=!<>])=\s*(true|false|-?\s*(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*)\s*(?=[,)])",
                             src.stext):
            p = m.start()
            idx = src.enclosing(p)
            if idx is not None and src.in_function(idx):
                continue
            if src.directive[p] or not _inside_parens(src, p):
                continue
            out.append(("default", m.start(1), m.end(1)))
        return out

    def apply(self, src, site, uid):
        _, lo, hi = site
        value = src.text[lo:hi]
        if value in ("true", "false"):
            return _replace(src.text, lo, hi, "false" if value == "true" else "true")
        m = _LITERAL.search(value)
        return _replace(src.text, lo + m.start(), lo + m.end(), _value_change(m))


def _inside_parens(src, p):
    depth, s = 0, src.stext
    for i in range(p - 1, max(-1, p - 4000), -1):
        c = s[i]
        if c == ")":
            depth += 1
        elif c == "(":
            if depth == 0:
                return True
            depth -= 1
        elif c in ";{}":
            return False
    return False


class StructField(Mutator):
    name = "struct-field"
    about = "a new data member at the end of a struct or class (layout changes)"
    structural = True

    def sites(self, src, path, lang):
        return [("field" if lang == "c++" else "field-c", b.close)
                for b in src.braces if b.kind == "class"]

    def apply(self, src, site, uid):
        sep = "\n" if uid % 2 else " "
        if site[0] == "field-c":
            return _insert(src.text, site[1], "%sint hotast_dt_field_%d;%s" % (sep, uid, sep))
        return _insert(src.text, site[1], "%spublic: int hotast_dt_field_%d = %d;%s"
                       % (sep, uid, uid, sep))


class EnumValue(Mutator):
    name = "enum-value"
    about = "a new enumerator, at the end or at the start (later values renumbered)"
    structural = True

    def sites(self, src, path, lang):
        out = []
        for b in src.braces:
            if b.kind == "enum":
                out.append(("end", b.open, b.close))
                out.append(("start", b.open, b.close))
        return out

    def apply(self, src, site, uid):
        kind, lo, hi = site
        name = "kHotastDt%d" % uid
        if kind == "start":
            return _insert(src.text, lo + 1, " %s," % name)
        last = _prev_code_char(src, hi)
        return _insert(src.text, hi, (" %s " if last in ",{" else ", %s ") % name)


class HeaderStatic(Mutator):
    name = "header-static"
    about = "in a header, a new static function or variable nothing uses"
    headers_only = True
    structural = True

    def sites(self, src, path, lang):
        out = []
        for b in src.braces:
            if b.kind != "function":
                continue
            parent = src.braces[b.parent] if b.parent is not None else None
            if parent is not None and parent.kind not in ("namespace", "extern"):
                continue
            out.append(("static", b.close + 1))
        return out

    def apply(self, src, site, uid):
        if uid % 2:
            new = ("\nstatic __attribute__((unused)) int hotast_dt_static_%d(int x) { return x * %d; }"
                   % (uid, uid))
        else:
            new = "\nstatic const int hotast_dt_static_%d[2] = {%d, %d};" % (uid, uid, uid + 1)
        return _insert(src.text, site[1], new)


class MacroChange(Mutator):
    name = "macro-change"
    about = "a macro definition changed (a literal of its body) or a new macro defined"

    def sites(self, src, path, lang):
        out = []
        for m in re.finditer(r"(?m)^[ \t]*#[ \t]*define[ \t]+\w+", src.text):
            p = m.start()
            if src.noncode[p] or not src.directive[p]:
                continue
            end = p
            while end < len(src.text) and src.directive[end]:
                end += 1
            out.append(("new", end))
            for lit in _literals(src, m.end(), end, directives=("define",)):
                out.append(("value", lit.start(), lit.end()))
        return out

    def apply(self, src, site, uid):
        if site[0] == "new":
            return _insert(src.text, site[1], "\n#define HOTAST_DT_MACRO_%d %d" % (uid, uid))
        m = _LITERAL.match(src.text, site[1], site[2])
        return _replace(src.text, site[1], site[2], _value_change(m))


class FunctionSwap(Mutator):
    name = "fn-swap"
    about = "two adjacent function definitions swapped"
    structural = True

    def sites(self, src, path, lang):
        ends = {}
        for p, scope in src.semis:
            ends.setdefault(scope, []).append((p, None))
        for i, b in enumerate(src.braces):
            if b.kind in ("function", "namespace", "extern"):
                ends.setdefault(b.parent, []).append((b.close, i))
        out = []
        for scope, items in ends.items():
            if scope is not None and src.braces[scope].kind not in ("namespace", "class", "extern"):
                continue
            items.sort()
            for (p0, _), (p1, a), (p2, b) in zip(items, items[1:], items[2:]):
                if a is None or b is None or src.braces[a].kind != "function" or \
                        src.braces[b].kind != "function":
                    continue
                if any(src.directive[p0:p2 + 1]) or \
                        re.search(r"\b(public|private|protected)\s*:", src.stext[p0:p2]):
                    continue
                out.append(("swap", _after_line(src, p0), _after_line(src, p1),
                            _after_line(src, p2)))
        return out

    def apply(self, src, site, uid):
        _, a, b, c = site
        t = src.text
        return t[:a] + t[b:c] + t[a:b] + t[c:]


def _after_line(src, p):
    """After the end of the line of p when only comments follow p on it (a
    trailing `// namespace` stays with its brace); else just after p."""
    nl = src.text.find("\n", p)
    if nl >= 0 and not src.stext[p + 1:nl].strip():
        return nl + 1
    return p + 1


CATALOGUE = [CommentLine(), CommentBlock(), Whitespace(), BlankLines(), LiteralSpelling(),
             LocalRename(), LiteralValue(), StatementNoop(), StatementEffect(),
             HeaderInlineBody(), HeaderOverload(), HeaderStatic(), DefaultArgument(), StructField(),
             EnumValue(), MacroChange(), FunctionSwap()]
BY_NAME = {m.name: m for m in CATALOGUE}


class SiteCache:
    """Each file's source and sites, kept for its current content only, so a
    step re-lexes just the file it changed."""

    def __init__(self):
        self._files = {}  # path -> (text, Source, {(mutator, lang): sites})

    def _entry(self, path, text):
        entry = self._files.get(path)
        if entry is None or entry[0] != text:
            entry = (text, Source(text), {})
            self._files[path] = entry
        return entry

    def source(self, path, text):
        return self._entry(path, text)[1]

    def sites(self, mutator, path, text, lang="c++"):
        _, src, sites = self._entry(path, text)
        key = (mutator.name, lang)
        if key not in sites:
            if (mutator.headers_only and not is_header(path)) or \
                    (mutator.structural and not src.balanced) or \
                    (mutator.cxx_only and lang == "c"):
                sites[key] = []
            else:
                sites[key] = mutator.sites(src, path, lang)
        return sites[key]
