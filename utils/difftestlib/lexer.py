"""Just enough C/C++ lexing for text-level mutations.

A Source knows, for every character of a file, whether it is code (outside
comments, string and character literals) and whether it belongs to a
preprocessor directive; it pairs the braces of code outside directives and
classifies each by what precedes it (function body, class, enum, namespace,
control statement, block, lambda, initializer). Mutators only touch positions
these tell them are safe; what still breaks the build is caught by the build
and counted as a broken mutation.
"""

import re

_NONCODE = re.compile(r'''
    //(?:[^\n\\]|\\.)*
  | /\*.*?(?:\*/|\Z)
  | (?:(?<![A-Za-z0-9_])(?:u8|u|U|L))?R"(?P<delim>[^()\\\s"]{0,16})\(.*?\)(?P=delim)"
  | (?:(?<![A-Za-z0-9_])(?:u8|u|U|L))?"(?:[^"\\\n]|\\.)*"
  | (?:(?<![A-Za-z0-9_])(?:u8|u|U|L))?(?<![A-Za-z0-9_])'(?:[^'\\\n]|\\.)*'
''', re.S | re.X)

CONTROL = {"if", "for", "while", "switch", "catch", "constexpr"}
NOT_NAMES = {"decltype", "sizeof", "alignof", "noexcept", "return", "alignas", "throw"}
QUALIFIERS = re.compile(
    r'(?:\s*(?:const|override|final|noexcept(?:\s*\([^()]*\))?|volatile|mutable|&&?'
    r'|->\s*[\w:<>,\s*&]+?))+\s*$')


class Brace:
    """A pair of braces in code outside directives."""
    __slots__ = ("open", "close", "parent", "kind", "header", "name")

    def __init__(self, open_, parent):
        self.open, self.close, self.parent = open_, -1, parent
        self.kind, self.header, self.name = "init", "", None


class Source:
    def __init__(self, text):
        self.text = text
        n = len(text)
        self.noncode = bytearray(n)
        for m in _NONCODE.finditer(text):
            self.noncode[m.start():m.end()] = b"\1" * (m.end() - m.start())
        self.directive = bytearray(n)
        self._mark_directives()
        # Structural text: comments, literals and directives blanked (newlines kept).
        chars = list(text)
        for i in range(n):
            if (self.noncode[i] or self.directive[i]) and chars[i] != "\n":
                chars[i] = " "
        self.stext = "".join(chars)
        self.braces, self.semis, self.balanced = [], [], True
        self._pair_braces()
        for b in self.braces:
            self._classify(b)
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    # ------------------------------------------------------------ scanning

    def _mark_directives(self):
        text, i, n = self.text, 0, len(self.text)
        while i < n:
            j = i
            while j < n and text[j] in " \t":
                j += 1
            end = text.find("\n", i)
            end = n if end < 0 else end
            if j < n and text[j] == "#" and not self.noncode[j]:
                # The directive runs to a code newline not escaped by a backslash.
                while end < n and (self.noncode[end] or text[end - 1] == "\\"):
                    nxt = text.find("\n", end + 1)
                    end = n if nxt < 0 else nxt
                self.directive[i:end] = b"\1" * (end - i)
            i = end + 1

    def _pair_braces(self):
        stack, paren, paren_stack = [], 0, []
        for m in re.finditer(r"[{}();]", self.stext):
            c, p = m.group(), m.start()
            if c == "(":
                paren += 1
            elif c == ")":
                paren = max(0, paren - 1)
            elif c == "{":
                self.braces.append(Brace(p, stack[-1] if stack else None))
                stack.append(len(self.braces) - 1)
                paren_stack.append(paren)
                paren = 0
            elif c == "}":
                if not stack:
                    self.balanced = False
                    return
                self.braces[stack.pop()].close = p
                paren = paren_stack.pop()
            elif paren == 0:
                self.semis.append((p, stack[-1] if stack else None))
        if stack:
            self.balanced = False

    def _header(self, pos):
        """The code between the previous boundary (; { } or an open paren) and pos."""
        s, depth, i = self.stext, 0, pos - 1
        while i >= 0:
            c = s[i]
            if c == ")":
                depth += 1
            elif c == "(":
                if depth == 0:
                    break
                depth -= 1
            elif c in ";{}" and depth == 0:
                break
            i -= 1
        return " ".join(s[i + 1:pos].split())

    def _classify(self, b):
        h = self._header(b.open)
        b.header = h
        parent = self.braces[b.parent] if b.parent is not None else None
        if parent is not None and parent.kind == "init":
            b.kind = "init"
            return
        record = re.search(r"\b(struct|class|union)\b([^(){};=]*)$", h)
        if re.search(r"\benum\b(?:\s+(?:class|struct)\b)?[^(){};=]*$", h):
            b.kind = "enum"
        elif re.search(r"\bnamespace\b[\w\s:]*$", h):
            b.kind = "namespace"
        elif re.search(r"\bextern$", h):
            b.kind = "extern"
        elif record:
            b.kind = "union" if record.group(1) == "union" else "class"
            names = re.findall(r"\w+", re.split(r"(?<!:):(?!:)", record.group(2))[0])
            names = [w for w in names if w != "final"]
            b.name = names[-1] if names else None
        elif re.search(r"(?:^|\s)(?:else|do|try)$", h) or h == "" or \
                re.match(r"^(case\b.*|default\s*):$", h):
            b.kind = "block"
        elif h.endswith("]"):
            b.kind = "lambda"
        else:
            init_list = re.search(r"\)\s*(?:noexcept\s*)?:(?!:)", h)
            sig = QUALIFIERS.sub("", h[:init_list.start() + 1] if init_list else h)
            if not sig.endswith(")"):
                return
            open_paren = _matching_open(sig, len(sig) - 1)
            before = sig[:open_paren].rstrip() if open_paren >= 0 else ""
            if re.search(r"\boperator\s*(?:\(\s*\)|[^\w\s(]+|\w[\w\s:*&]*)$", before):
                b.kind = "function"
                return
            before = re.sub(r"<[^<>]*(?:<[^<>]*>[^<>]*)*>$", "", before).rstrip()
            word = re.search(r"(~?)\b(\w+)$", before)
            if before.endswith("]"):
                b.kind = "lambda"
            elif word and word.group(2) in CONTROL:
                b.kind = "switch" if word.group(2) == "switch" else "control"
            elif word:
                b.kind = "function"
                if not word.group(1) and word.group(2) not in NOT_NAMES \
                        and not re.search(r"\boperator\b", before):
                    b.name = word.group(2)

    # ------------------------------------------------------------ queries

    def is_code(self, p):
        return not self.noncode[p]

    def enclosing(self, p):
        """Index of the innermost brace pair around position p, or None."""
        lo, hi = 0, len(self.braces)
        while lo < hi:  # last brace opening before p
            mid = (lo + hi) // 2
            if self.braces[mid].open < p:
                lo = mid + 1
            else:
                hi = mid
        i = lo - 1
        while i is not None and i >= 0:
            b = self.braces[i]
            if b.close > p or b.close < 0:
                return i
            i = b.parent
        return None

    def in_function(self, idx):
        """True when brace idx is, or is inside, a function or lambda body
        through statement blocks only."""
        while idx is not None:
            k = self.braces[idx].kind
            if k in ("function", "lambda"):
                return True
            if k not in ("block", "control", "switch"):
                return False
            idx = self.braces[idx].parent
        return False

    def statement_brace(self, idx):
        """A brace after which a statement may be inserted."""
        b = self.braces[idx]
        return b.kind in ("function", "lambda", "block", "control") and self.in_function(idx)

    def line_of(self, p):
        lo, hi = 0, len(self.line_starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.line_starts[mid] <= p:
                lo = mid + 1
            else:
                hi = mid
        return lo  # 1-based

    def safe_line_starts(self):
        """Line starts where a new line may be inserted: code, outside
        directives and their continuations."""
        out = []
        for p in self.line_starts:
            if p >= len(self.text):
                continue
            if self.noncode[p] or (p > 0 and self.directive[p - 1] and self.directive[p]):
                continue
            if p >= 2 and self.text[p - 2] == "\\":
                continue
            out.append(p)
        return out


def _matching_open(s, close):
    depth = 0
    for i in range(close, -1, -1):
        if s[i] == ")":
            depth += 1
        elif s[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    return -1

