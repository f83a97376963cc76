"""Build hook: compile the gettext catalogs (``src/tthc/locale/*/LC_MESSAGES/tthc.po`` → ``tthc.mo``) when the
package is built or installed, editable installs included. The ``.mo`` files are build products (git-ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_catalogs(locale_dir: Path) -> list[Path]:
    """Compile every ``.po`` under ``locale_dir`` beside itself; return the ``.mo`` paths."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    out = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as fh:
            catalog = read_po(fh)
        mo = po.with_suffix(".mo")
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, catalog)  # fuzzy entries are left out, as msgfmt does
        tmp.replace(mo)
        out.append(mo)
    return out


class CompileTranslations(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for mo in compile_catalogs(root / "src" / "tthc" / "locale"):
            build_data["artifacts"].append(str(mo.relative_to(root)))
