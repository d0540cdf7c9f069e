"""Command line: ``python -m app [assess|catalog ...]``; no command starts the interactive app.

Exit codes: 0 success, 2 bad input (profile, catalog, arguments). Never a traceback for a user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from .core.i18n import LANGS, Locale, normalize_lang


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m app", description="惠企自测 Huiqi")
    sub = ap.add_subparsers(dest="command")

    a = sub.add_parser("assess", help="assess a profile / 测算一个企业档案")
    a.add_argument("profile")
    a.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD (default: today)")
    a.add_argument("--format", dest="fmt", default="text", choices=("json", "text", "md", "html"))
    a.add_argument("--lang", default=None, help="zh_CN | en")
    a.add_argument("--all", dest="show_all", action="store_true", help="include ineligible")
    a.add_argument("--catalog", default=None, help="another catalog file")
    a.add_argument("--out", default=None, help="write the report to this file")

    c = sub.add_parser("catalog", help="catalog tools / 政策目录工具")
    csub = c.add_subparsers(dest="catalog_command")
    ck = csub.add_parser("check", help="validate a catalog")
    ck.add_argument("path", nargs="?", default=None)
    ck.add_argument("--fragment", action="store_true", help="a partial catalog (no header)")
    ex = csub.add_parser("examples", help="run the policies' own examples")
    ex.add_argument("path", nargs="?", default=None)
    cv = csub.add_parser("coverage", help="cited / excluded / unaccounted articles per document")
    cv.add_argument("path", nargs="?", default=None)

    i = sub.add_parser("i18n", help="translation tools / 翻译检查")
    isub = i.add_subparsers(dest="i18n_command")
    ic = isub.add_parser("check", help="list catalog content with no translation")
    ic.add_argument("--lang", default="en")
    ic.add_argument("--catalog", default=None)

    ap.add_argument("--lang", dest="ui_lang", default=None, help="zh_CN | en")
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = _parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:   # argparse already printed its message
        return int(exc.code or 0) and 2
    try:
        if args.command == "assess":
            return cmd_assess(args)
        if args.command == "catalog":
            return cmd_catalog(args, ap)
        if args.command == "i18n":
            return cmd_i18n(args)
        return run_tui(args.ui_lang)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: a clear line, never a traceback for a user
        print(f"内部错误 / internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _bundled() -> Path:
    from .core.paths import bundled_catalog
    return bundled_catalog()


def _load_catalog_or_report(path: str | None, loc: Locale, fragment: bool = False):
    from .core.catalog import CatalogError, load_catalog
    target = path or str(_bundled())
    try:
        return load_catalog(target, fragment=fragment)
    except CatalogError as exc:
        print(loc.t("error.catalog", file=target), file=sys.stderr)
        for p in exc.problems:
            print(str(p), file=sys.stderr)
        return None


def cmd_assess(args) -> int:
    from .core.assess import assess
    from .core.profile import ProfileError, load_profile
    from .core.report import RENDERERS, render_json

    loc = Locale(normalize_lang(args.lang))
    if args.lang and normalize_lang(args.lang) != args.lang.replace("-", "_") and args.lang not in LANGS:
        print(f"--lang: {args.lang}? ({', '.join(LANGS)})", file=sys.stderr)
        return 2
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            print(loc.t("error.bad_date", value=args.as_of), file=sys.stderr)
            return 2
    else:
        as_of = dt.date.today()
    catalog = _load_catalog_or_report(args.catalog, loc)
    if catalog is None:
        return 2
    try:
        profile = load_profile(args.profile, catalog.registry)
    except ProfileError as exc:
        print(profile_error_line(exc, loc), file=sys.stderr)
        return 2
    for key, params in profile.warnings:
        print(loc.t(key, **params), file=sys.stderr)
    result = assess(catalog, profile.facts, as_of, include_ineligible=args.show_all)
    if args.fmt == "json":
        text = render_json(result, loc) + "\n"
    else:
        text = RENDERERS[args.fmt](result, loc, profile.name, profile.warnings)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.out}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def profile_error_line(exc, loc: Locale) -> str:
    """One line naming the file, the field and what was expected."""
    if exc.field is None:
        reason = loc.t(exc.key, **exc.params)
        return loc.t("error.profile_file", file=exc.file, reason=reason)
    params = dict(exc.params)
    if "codes" in params:
        params["codes"] = ", ".join(params["codes"])
    expected = loc.t(exc.key, **params)
    got = params.get("got")
    shown = repr(got) if not isinstance(got, str) else f'"{got}"'
    return loc.t("error.profile", file=exc.file, field=exc.field, expected=expected, got=shown)


def cmd_catalog(args, ap) -> int:
    from .core.catalog import check_catalog
    from .core.checks import coverage, run_examples

    loc = Locale()
    sub = args.catalog_command
    if sub == "check":
        target = args.path or str(_bundled())
        problems = check_catalog(target, fragment=args.fragment)
        for p in problems:
            print(str(p))
        if problems:
            return 2
        print(f"{target}: OK")
        return 0
    if sub == "examples":
        catalog = _load_catalog_or_report(args.path, loc, fragment=True)
        if catalog is None:
            return 2
        count, failures = run_examples(catalog)
        for f in failures:
            print(str(f))
        print(f"{count - len(failures)} passed, {len(failures)} failed")
        return 1 if failures else 0
    if sub == "coverage":
        catalog = _load_catalog_or_report(args.path, loc, fragment=True)
        if catalog is None:
            return 2
        bad = 0
        for d in coverage(catalog):
            print(f"{d.title} [{d.doc_id}]")
            print(f"  articles {len(d.articles)} · cited {len(d.cited)} · excluded {len(d.excluded)}"
                  f" · unaccounted {len(d.unaccounted)}")
            print("  cited: " + (" ".join(d.cited) or "-"))
            print("  excluded: " + (" ".join(d.excluded) or "-"))
            print("  unaccounted: " + (" ".join(d.unaccounted) or "-"))
            if d.unknown_cited:
                print("  cited but not listed: " + ", ".join(d.unknown_cited))
            bad += len(d.unaccounted) + len(d.unknown_cited)
        return 1 if bad else 0
    ap.parse_args(["catalog", "--help"])
    return 2


def cmd_i18n(args) -> int:
    """List every catalog key with no translation; exit 1 when any is missing."""
    from .core.i18n_check import missing_translations
    catalog = _load_catalog_or_report(args.catalog, Locale())
    if catalog is None:
        return 2
    missing = missing_translations(catalog, normalize_lang(args.lang))
    for key in missing:
        print(key)
    print(f"{len(missing)} missing ({normalize_lang(args.lang)})")
    return 1 if missing else 0


def run_tui(lang: str | None) -> int:
    try:
        from screens.app import HuiqiApp
    except ImportError as exc:  # the interactive app is optional for the commands
        print(f"interactive app unavailable: {exc}", file=sys.stderr)
        return 2
    app = HuiqiApp(lang=lang)
    app.run()
    return app.return_code or 0
