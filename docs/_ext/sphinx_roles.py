"""Sphinx roles in docstrings become mkdocs-autorefs links when the API reference is built (a griffe extension).

The docstrings in ``src/`` cross-reference with Sphinx roles (``:class:`Catalog```,
``:func:`~tthc.deadlines.compute_due```, ``:mod:`tthc.errors```). mkdocstrings renders Markdown, where those roles
would show as raw text; this extension rewrites them, once, after griffe has loaded a package and before any
docstring is parsed:

* ``:class:`~tthc.catalog.Catalog``` → ``[`Catalog`][tthc.catalog.model.Catalog]`` — a ``~`` shows the last
  component only; ``:func:`` and ``:meth:`` show ``()`` after the name, as Sphinx does; ``:role:`title <target>```
  shows the title; ``:role:`!target``` shows the name without a link.
* A short name is looked up as Python would see it from the docstring's object (its members, its module's imports,
  its parents), then in the package's flat namespace (``tthc.<name>``), then as the one object of the package whose
  path ends with it. The link goes to the object's canonical path, where the reference renders it.
* The reference renders public names that have a docstring (``filters: ["!^_"]``, ``show_if_no_docstring: false``):
  a role naming a private or undocumented object links to the nearest ancestor that is rendered.
* The standard library links to docs.python.org; other external names need an entry in the ``external`` option
  (``{"rich.text.Text": "https://…"}``).
* A target found nowhere is written as ``[`name`][name]``: mkdocs-autorefs then reports it and ``mkdocs build
  --strict`` fails. Nothing is silently rendered as plain text.

Configured in ``mkdocs.yml`` under the mkdocstrings python handler::

    extensions:
      - docs/_ext/sphinx_roles.py:
          external: {"rich.text.Text": "https://rich.readthedocs.io/en/stable/reference/text.html#rich.text.Text"}
"""

from __future__ import annotations

import builtins
import contextlib
import importlib.util
import re
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import griffe

#: the roles rewritten; the same list is what the site check (``docs/_ext/hooks.py``) looks for in the built pages
ROLES = ("class", "func", "meth", "mod", "data", "attr", "exc", "obj", "const", "type")
ROLE = re.compile(r"(?<![\w`]):(?:py:)?(?P<role>" + "|".join(ROLES) + r"):`(?P<body>[^`]+)`")
_TITLED = re.compile(r"^(?P<title>.+?)\s*<(?P<target>[^<>]+)>$")
_CALLABLE_ROLES = frozenset({"func", "meth"})
PYTHON_DOCS = "https://docs.python.org/3/library/"


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring of a loaded package into autorefs cross-references."""

    def __init__(self, external: Mapping[str, str] | None = None) -> None:
        """Keep the links of external (non-stdlib) targets.

        Args:
            external: Full dotted name → URL, for third-party names the docstrings cite.
        """
        super().__init__()
        self.external = dict(external or {})

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Rewrite the roles in ``pkg`` once it is fully loaded (its stubs merged, its exports expanded)."""
        resolver = Resolver(pkg, loader.modules_collection, self.external)
        for obj in walk(pkg):
            if obj.docstring is not None and ":" in obj.docstring.value:
                obj.docstring.value = resolver.rewrite(obj.docstring.value, obj)


def walk(obj: griffe.Object) -> Iterator[griffe.Object]:
    """``obj`` and every object defined under it (aliases, i.e. imports and re-exports, are skipped)."""
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from walk(member)  # type: ignore[arg-type]  # not an alias, so an Object


class Resolver:
    """Finds what a role names, seen from the object whose docstring holds it."""

    def __init__(self, pkg: griffe.Module, collection: griffe.ModulesCollection, external: Mapping[str, str]) -> None:
        self.pkg = pkg
        self.collection = collection
        self.external = external
        self._paths: list[str] | None = None

    def rewrite(self, text: str, obj: griffe.Object) -> str:
        """``text`` with each role replaced by a Markdown link (or by a plain code span for ``!target``)."""
        return ROLE.sub(lambda match: self.link(match["role"], match["body"], obj), text)

    def link(self, role: str, body: str, obj: griffe.Object) -> str:
        """The Markdown for one role."""
        titled = _TITLED.match(body)
        title, target = (titled["title"], titled["target"]) if titled else (None, body)
        no_link = target.startswith("!")
        short = target.lstrip("!").startswith("~")
        target = target.lstrip("!~.")
        shown = title or (target.rsplit(".", 1)[-1] if short else target)
        if role in _CALLABLE_ROLES and title is None:
            shown += "()"
        code = f"`{shown}`"
        if no_link:
            return code
        found = self.find(target, obj)
        if found is not None:
            return f"[{code}][{self.rendered(found).path}]"
        url = self.external_url(target)
        if url is not None:
            return f"[{code}]({url})"
        return f"[{code}][{target}]"  # found nowhere: autorefs reports it, and the strict build fails

    def find(self, target: str, obj: griffe.Object) -> griffe.Object | None:
        """The package object ``target`` names from ``obj``'s scope, followed through imports; None if none."""
        head, _, rest = target.partition(".")
        candidates = []
        if head in self.collection.members:  # an absolute path: tthc.x.y
            candidates.append(target)
        with contextlib.suppress(griffe.NameResolutionError):
            candidates.append(obj.resolve(head) + (f".{rest}" if rest else ""))
        candidates.append(f"{self.pkg.name}.{target}")  # the flat namespace
        for path in candidates:
            found = self._get(path)
            if found is not None:
                return found
        if head in {str(name) for name in obj.module.exports or ()}:
            return obj.module  # exported but unseen by griffe (`A, B = 0, 1`): its module documents it
        return self._by_tail(target)

    def rendered(self, obj: griffe.Object) -> griffe.Object:
        """``obj``, or its nearest ancestor, that the reference renders (public name and a docstring)."""
        current = obj
        while current.parent is not None and (current.name.startswith("_") or not current.has_docstrings):
            current = current.parent
        return current

    def external_url(self, target: str) -> str | None:
        """A URL for an external name: the ``external`` option, else the Python documentation for the stdlib."""
        if target in self.external:
            return self.external[target]
        head = target.partition(".")[0]
        if head in sys.stdlib_module_names:
            module = _longest_module(target)
            if module is None:
                return None
            page = f"{PYTHON_DOCS}{module}.html"
            return f"{page}#module-{module}" if module == target else f"{page}#{target}"
        if "." not in target and hasattr(builtins, target):
            value = getattr(builtins, target)
            is_exception = isinstance(value, type) and issubclass(value, BaseException)
            return f"{PYTHON_DOCS}{'exceptions' if is_exception else 'functions'}.html#{target}"
        return None

    def _by_tail(self, target: str) -> griffe.Object | None:
        # The longest tail of the target that ends the path of exactly one object of the package: a name no import
        # brings into scope (`DueDate` in a module that never imports it), or a path that has moved since the
        # docstring was written (`tthc.catalog.model.Catalog`, now in `tthc.catalog.collection`).
        parts = target.split(".")
        for start in range(len(parts)):
            tail = "." + ".".join(parts[start:])
            matches = [path for path in self._all_paths() if path.endswith(tail)]
            if len(matches) == 1:
                return self._get(matches[0])
            if matches:
                return None  # ambiguous: a shorter tail only matches more
        return None

    def _get(self, path: str) -> griffe.Object | None:
        # member by member, so that a method a class inherits is found (`WorkingCalendar.schedule`)
        head, *rest = path.split(".")
        found = _final(self.collection.members.get(head))
        for name in rest:
            if found is None:
                return None
            members = found.all_members if found.is_class else found.members
            found = _final(members.get(name))
        return found

    def _all_paths(self) -> list[str]:
        if self._paths is None:
            self._paths = [obj.path for obj in walk(self.pkg)]
        return self._paths


def _final(obj: griffe.Object | griffe.Alias | None) -> griffe.Object | None:
    """The object an alias (an import, a re-export, an inherited member) stands for; None for an external one."""
    if not isinstance(obj, griffe.Alias):
        return obj
    try:
        return obj.final_target
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None  # an import from outside the loaded packages (e.g. pathlib.Path): not ours


def _longest_module(target: str) -> str | None:
    """The longest dotted prefix of ``target`` that is an importable stdlib module (``os.path`` in ``os.path.join``)."""
    parts = target.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        try:
            if importlib.util.find_spec(name) is not None:
                return name
        except (ImportError, ValueError):
            continue
    return None
