"""Command line: ``python -m app [assess|catalog ...]``; no command starts the interactive app.

Exit codes: 0 success, 2 bad input (profile, catalog, arguments). Never a traceback for a user.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import __version__
from app.i18n.locale import LANGS, Locale, normalize_lang
from app.engine.text import clean


def say(text: object, err: bool = False) -> None:
    """Print one line of a command's output. Every line goes through here, cleaned of control
    characters and line breaks: catalog and profile text (titles, keys, file names) must never
    reach the terminal as an escape sequence or forge a line of its own."""
    print(clean(text, one_line=True), file=sys.stderr if err else sys.stdout)


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

    b = sub.add_parser("batch", help="assess a roster (CSV or folder of profiles) / 批量测算")
    b.add_argument("input", help="a CSV roster or a folder of profile files (*.toml)")
    b.add_argument("--out", required=True, help="output folder (summary.csv + one handout each)")
    b.add_argument("--as-of", dest="as_of", default=None, help="YYYY-MM-DD (default: today)")
    b.add_argument("--format", dest="fmt", default="html", choices=("html", "md"))
    b.add_argument("--lang", default=None, help="zh_CN | en")
    b.add_argument("--catalog", default=None, help="another catalog file")

    c = sub.add_parser("catalog", help="catalog tools / 政策目录工具")
    csub = c.add_subparsers(dest="catalog_command")
    ck = csub.add_parser("check", help="validate a catalog")
    ck.add_argument("path", nargs="?", default=None)
    ck.add_argument("--fragment", action="store_true", help="a partial catalog (no header)")
    ex = csub.add_parser("examples", help="run the policies' own examples")
    ex.add_argument("path", nargs="?", default=None)
    cv = csub.add_parser("coverage", help="cited / excluded / unaccounted articles per document")
    cv.add_argument("path", nargs="?", default=None)
    ins = csub.add_parser("install", help="validate and install an updated catalog / 安装更新的目录")
    ins.add_argument("file")
    rb = csub.add_parser("rollback", help="go back to the previous catalog / 回退到上一个目录")
    df = csub.add_parser("diff", help="what changed between two catalogs / 比较两个目录")
    df.add_argument("old", help="a catalog file, or: installed | previous | bundled")
    df.add_argument("new", help="a catalog file, or: installed | previous | bundled")
    st = csub.add_parser("status", aliases=["which"], help="the catalog in use / 正在使用的目录")
    for p in (ck, ex, cv, ins, rb, df, st):
        p.add_argument("--lang", dest="lang", default=None, help="zh_CN | en")

    i = sub.add_parser("i18n", help="translation tools / 翻译检查")
    isub = i.add_subparsers(dest="i18n_command")
    ic = isub.add_parser("check", help="list catalog content with no translation")
    ic.add_argument("--lang", default="en")
    ic.add_argument("--catalog", default=None)

    ap.add_argument("--lang", dest="ui_lang", default=None, help="zh_CN | en")
    ap.add_argument("--version", action="version", help="which app this is, and where it lives",
                    version=f"huiqi {__version__} (惠企自测 Huiqi) {Path(__file__).resolve().parent}")
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
        if args.command == "batch":
            return cmd_batch(args)
        if args.command == "catalog":
            return cmd_catalog(args, ap)
        if args.command == "i18n":
            return cmd_i18n(args)
        return run_tui(args.ui_lang)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except (RecursionError, MemoryError) as exc:   # input past what any check foresaw: bad input
        say(f"输入过大或嵌套过深，无法处理 / input too large or nested too deeply "
            f"({type(exc).__name__})", err=True)
        return 2
    except Exception as exc:  # last resort: a clear line, never a traceback for a user
        say(f"内部错误 / internal error: {type(exc).__name__}: {exc}", err=True)
        return 1


def _bundled() -> Path:
    from app.storage.paths import bundled_catalog
    return bundled_catalog()


def _load_catalog_or_report(path: str | None, loc: Locale, fragment: bool = False):
    """The catalog to use, or None after printing why not. No path: the installed catalog (else
    the bundled one), falling back to the previous, bundled or last good one with a line per
    failure on stderr. An explicit path is that file or nothing (the user asked for it)."""
    from app.engine.catalog import CatalogError
    from app.storage.catalog_files import load_catalog
    if path is None:
        from app.storage import catalog_store
        try:
            act = catalog_store.active()
        except CatalogError as exc:
            say(loc.t("store.none_usable"), err=True)
            for p in exc.problems:
                say(_problem_text(p, loc), err=True)
            return None
        for failed, problems in act.fallback_from:
            say(_fallback_line(failed, problems, act, loc), err=True)
        return act.catalog
    target = path
    try:
        return load_catalog(target, fragment=fragment)
    except CatalogError as exc:
        say(loc.t("error.catalog", file=target), err=True)
        for p in exc.problems:
            say(_problem_text(p, loc), err=True)
        return None


def _problem_text(p, loc: Locale) -> str:
    """PATH:LINE: message, in the user's language where the message has a key."""
    return loc.problem(p)


def _date_text(value) -> str:
    return value.isoformat() if value else "-"


def _source_text(act, loc: Locale) -> str:
    from app.storage.catalog_store import source_key
    return loc.t(f"store.source.{source_key(act)}")


def _fallback_line(failed, problems, act, loc: Locale) -> str:
    from app.storage.catalog_store import fallback_message
    return fallback_message(loc, failed, problems, act, _date_text)


def _command_setup(args):
    """--lang (zh*, en*), --as-of (default today) and --catalog of assess and batch:
    (locale, date, catalog), or None after saying what is wrong."""
    if args.lang and not args.lang.replace("-", "_").lower().startswith(("zh", "en")):
        say(f"--lang: {args.lang}? ({', '.join(LANGS)})", err=True)
        return None
    loc = Locale(normalize_lang(args.lang))
    as_of = dt.date.today()
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            say(loc.t("error.bad_date", value=args.as_of), err=True)
            return None
    catalog = _load_catalog_or_report(args.catalog, loc)
    return None if catalog is None else (loc, as_of, catalog)


def cmd_assess(args) -> int:
    from app.engine.assessment import assess
    from app.engine.profile import ProfileError
    from app.storage.profile_files import load_profile
    from app.render.report import RENDERERS, render_json

    setup = _command_setup(args)
    if setup is None:
        return 2
    loc, as_of, catalog = setup
    try:
        profile = load_profile(args.profile, catalog.registry, as_of)
    except ProfileError as exc:
        say(profile_error_line(exc, loc), err=True)
        return 2
    for key, params in profile.warnings:
        say(loc.t(key, **params), err=True)
    result = assess(catalog, profile.facts, as_of, include_ineligible=args.show_all)
    if args.fmt == "json":
        text = render_json(result, loc) + "\n"
    else:
        text = RENDERERS[args.fmt](result, loc, profile.name, profile.warnings)
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            say(f"{args.out}: {exc.strerror or exc}", err=True)
            return 2
    else:
        sys.stdout.write(text)
    return 0


def profile_error_line(exc, loc: Locale) -> str:
    """One line naming the file, the field and what was expected."""
    from app.engine.profile import error_line
    return error_line(exc, loc)


def cmd_batch(args) -> int:
    """A roster at once: summary.csv and one handout per business in --out (app/batch.py).
    Exit 0 every row processed; 1 some rows bad (the rest processed); 2 input unusable."""
    import contextlib
    import time

    from app import batch

    setup = _command_setup(args)
    if setup is None:
        return 2
    loc, as_of, catalog = setup
    try:
        roster = batch.read_input(args.input, catalog, as_of)
    except batch.InputError as exc:
        say(loc.t(exc.key, **exc.params), err=True)
        return 2
    for key, params in roster.warnings:
        say(loc.t(key, **params), err=True)
    for item in roster.items:
        for key, params in item.warnings:
            say(loc.t("batch.file_warning", source=item.source, warning=loc.t(key, **params)),
                  err=True)

    bar, progress = contextlib.nullcontext(), None
    if sys.stderr.isatty():     # rich only here: importing app.cli must not pull it in
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
        # no refresh thread: the batch may fork worker processes, which wants one thread
        bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeRemainingColumn(), console=Console(stderr=True), transient=True,
                       auto_refresh=False)
        task = bar.add_task(loc.t("batch.progress"), total=len(roster.items))
        shown = [0.0]

        def progress(done: int, total: int) -> None:
            now = time.monotonic()
            if done == total or now - shown[0] > 0.1:
                shown[0] = now
                bar.update(task, completed=done, refresh=True)
            else:
                bar.update(task, completed=done)
    try:
        with bar:
            result = batch.run_batch(roster, catalog, as_of, loc, args.out, args.fmt,
                                     file_error_line=lambda exc: profile_error_line(exc, loc),
                                     progress=progress)
    except batch.OutputError as exc:
        say(loc.t("batch.out_error", path=str(exc.path), reason=exc.reason), err=True)
        return 2
    except batch.Interrupted as stop:        # Ctrl+C: the summary says what was done
        say(loc.t("batch.interrupted", done=stop.done, total=len(stop.result.lines),
                  out=str(stop.result.out_dir)), err=True)
        return 130
    for line in result.errors:
        say(line, err=True)
    say(loc.t("batch.done", total=len(result.lines), ok=result.ok, bad=result.bad, out=str(result.out_dir)))
    return 1 if result.bad else 0


def cmd_catalog(args, ap) -> int:
    from app.storage.catalog_files import check_catalog
    from app.engine.checks import coverage, run_examples

    sub = args.catalog_command
    if sub in ("install", "rollback", "diff", "status", "which"):
        return cmd_catalog_store(args)
    loc = _user_locale(getattr(args, "lang", None) or getattr(args, "ui_lang", None))
    if sub == "check":
        target = args.path or str(_bundled())
        problems = check_catalog(target, fragment=args.fragment)
        for p in problems:
            say(_problem_text(p, loc))
        if problems:
            return 2
        say(f"{target}: OK")
        return 0
    if sub == "examples":
        catalog = _load_catalog_or_report(args.path, loc, fragment=True)
        if catalog is None:
            return 2
        count, failures = run_examples(catalog)
        for f in failures:
            say(str(f))
        say(f"{count - len(failures)} passed, {len(failures)} failed")
        return 1 if failures else 0
    if sub == "coverage":
        catalog = _load_catalog_or_report(args.path, loc, fragment=True)
        if catalog is None:
            return 2
        bad = 0
        for d in coverage(catalog):
            say(f"{d.title} [{d.doc_id}]")
            say(f"  articles {len(d.articles)} · cited {len(d.cited)} · excluded {len(d.excluded)}"
                  f" · unaccounted {len(d.unaccounted)}")
            say("  cited: " + (" ".join(d.cited) or "-"))
            say("  excluded: " + (" ".join(d.excluded) or "-"))
            say("  unaccounted: " + (" ".join(d.unaccounted) or "-"))
            if d.unknown_cited:
                say("  cited but not listed: " + ", ".join(d.unknown_cited))
            bad += len(d.unaccounted) + len(d.unknown_cited)
        return 1 if bad else 0
    ap.parse_args(["catalog", "--help"])
    return 2


def _user_locale(lang: str | None) -> Locale:
    import os
    if not lang:
        lang = os.environ.get("HUIQI_LANG")
    if not lang:
        from app.storage import settings
        chosen = settings.load().get("lang")
        lang = chosen if isinstance(chosen, str) else None
    return Locale(normalize_lang(lang))


def _catalog_ref(loc: Locale, version: str, date, source: str | None = None) -> str:
    text = loc.t("store.ref", version=version or "-", date=_date_text(date))
    return text + (loc.t("store.ref_source", source=loc.t(f"store.source.{source}")) if source else "")


def cmd_catalog_store(args) -> int:
    """catalog install | rollback | diff | status (which)."""
    from app.storage import catalog_store as store
    from app.engine.catalog import CatalogError
    from app.storage.catalog_files import load_catalog

    loc = _user_locale(getattr(args, "lang", None) or getattr(args, "ui_lang", None))
    sub = args.catalog_command

    def problems_out(header: str, problems) -> int:
        say(header, err=True)
        for p in problems:
            say(_problem_text(p, loc), err=True)
        return 2

    def active():
        """The catalog in use, each fallback said on stderr; or None once its problems are said."""
        try:
            act = store.active()
        except CatalogError as exc:
            problems_out(loc.t("store.none_usable"), exc.problems)
            return None
        for failed, problems in act.fallback_from:
            say(_fallback_line(failed, problems, act, loc), err=True)
        return act

    if sub == "install":
        try:
            res = store.install(args.file)
        except CatalogError as exc:
            return problems_out(loc.t("store.install_invalid", file=args.file), exc.problems)
        except store.StoreError as exc:
            say(loc.t(exc.key, **exc.params), err=True)
            return 2
        for key, params in res.warnings:
            say(loc.t(key, **{k: _date_text(v) if isinstance(v, dt.date) else v
                                for k, v in params.items()}), err=True)
        if not res.changed:
            say(loc.t("store.unchanged", ref=_catalog_ref(loc, res.new.version, res.new.date,
                                                            res.before_source)))
            return 0
        new = _catalog_ref(loc, res.new.version, res.new.date)
        if res.repaired:
            say(loc.t("store.repaired", new=new, path=str(res.new.path)))
        else:
            old = (_catalog_ref(loc, res.before_version, res.before_date, res.before_source)
                   if res.before_source else loc.t("store.nothing_before"))
            say(loc.t("store.installed", old=old, new=new))
        say(loc.t("store.installed_path", path=str(res.new.path)))
        if res.diff is not None:
            d = res.diff
            say(loc.t("store.diff.counts", added=len(d.added), removed=len(d.removed),
                        changed=len(d.changed), same=d.unchanged))
        say(loc.t("store.rollback_hint"))
        return 0

    if sub == "rollback":
        try:
            res = store.rollback()
        except store.StoreError as exc:
            say(loc.t(exc.key, **exc.params), err=True)
            return 2
        except CatalogError as exc:
            return problems_out(loc.t("store.rollback_broken"), exc.problems)
        act = active()
        if act is None:
            return 2
        say(loc.t("store.rolled_back", ref=_catalog_ref(loc, act.version, act.date,
                                                          store.source_key(act))))
        back = (_catalog_ref(loc, res.previous.version, res.previous.date, "installed")
                if res.previous else loc.t("store.source.bundled"))
        say(loc.t("store.rollback_again", ref=back))
        return 0

    if sub == "diff":
        catalogs, failed = [], False
        for word in (args.old, args.new):
            target = _store_word(word, store)
            if target is None:
                say(loc.t("store.error.no_such", word=word), err=True)
                failed = True
                continue
            try:
                catalogs.append(load_catalog(target))
            except CatalogError as exc:
                problems_out(loc.t("error.catalog", file=str(target)), exc.problems)
                failed = True
        if failed:
            return 2
        d = store.diff(*catalogs)
        say(loc.t("store.diff.header", old=_catalog_ref(loc, d.old_version, d.old_date),
                    new=_catalog_ref(loc, d.new_version, d.new_date)))
        if d.empty:
            say(loc.t("store.diff.none", same=d.unchanged))
            return 0
        sep = "、" if loc.zh else ", "
        for name, mark, items in (("added", "+", d.added), ("removed", "-", d.removed),
                                  ("changed", "*", d.changed)):
            if not items:
                continue
            say(loc.t(f"store.diff.{name}", count=len(items)))
            for c in items:
                title = loc.translated(f"policy.{c.id}.title", c.title)
                line = f"  {mark} {c.id}  {title}"
                if c.aspects:
                    line += loc.t("store.diff.what", what=sep.join(
                        loc.t(f"store.aspect.{a}") for a in c.aspects))
                say(line)
        say(loc.t("store.diff.counts", added=len(d.added), removed=len(d.removed),
                    changed=len(d.changed), same=d.unchanged))
        return 0

    # status / which
    act = active()
    if act is None:
        return 2
    cat = act.catalog
    say(loc.t("store.status.in_use", title=cat.title or "-", version=act.version or "-",
                date=_date_text(act.date), count=len(cat.policies)))
    say(loc.t("store.status.source", source=_source_text(act, loc)))
    say(loc.t("store.status.path", path=str(act.path)))
    if act.entry is not None:
        when = act.entry.installed_at.isoformat(sep=" ") if act.entry.installed_at else "-"
        say(loc.t("store.status.installed", when=when, name=act.entry.source_name or "-"))
    try:
        state = store.read_installed()
    except CatalogError:      # already reported above, as a fallback
        return 0
    prev = state.previous
    if prev is not None:
        when = prev.installed_at.isoformat(sep=" ") if prev.installed_at else "-"
        say(loc.t("store.status.previous", ref=_catalog_ref(loc, prev.version, prev.date),
                    name=prev.source_name or "-", when=when))
    elif state.current is not None:
        say(loc.t("store.status.previous_bundled"))
    else:
        say(loc.t("store.status.none_installed"))
    return 0


def _store_word(word: str, store):
    """A catalog file, or one of the words installed / previous / bundled (when no such file)."""
    from app.engine.catalog import CatalogError
    from app.storage.paths import bundled_catalog
    if word not in ("installed", "previous", "bundled") or Path(word).is_file():
        return Path(word)
    if word == "bundled":
        return bundled_catalog()
    try:
        state = store.read_installed()
    except CatalogError:
        return None
    entry = state.current if word == "installed" else state.previous
    return entry.path if entry is not None else None


def cmd_i18n(args) -> int:
    """List every catalog key with no translation; exit 1 when any is missing."""
    from app.i18n.check import missing_translations
    catalog = _load_catalog_or_report(args.catalog, Locale())
    if catalog is None:
        return 2
    missing = missing_translations(catalog, normalize_lang(args.lang))
    for key in missing:
        say(key)
    say(f"{len(missing)} missing ({normalize_lang(args.lang)})")
    return 1 if missing else 0


def not_ours(name: str) -> str | None:
    """Where the top-level package ``name`` (screens) would be imported from, when that is not the
    one installed beside this app: ``python -m`` puts the current folder first, so a folder with
    its own screens/ would hide ours. Found without running it."""
    import importlib.util
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    ours = Path(__file__).resolve().parent.parent / name
    where = list(spec.submodule_search_locations or [spec.origin or "?"])
    if any(Path(p).resolve() == ours for p in where):
        return None
    return str(where[0])


def run_tui(lang: str | None) -> int:
    foreign = not_ours("screens")
    if foreign is not None:
        from app.storage.settings import chosen_language
        loc = Locale(normalize_lang(chosen_language(lang)))
        print(loc.t("error.not_huiqi", name="screens", path=foreign), file=sys.stderr)
        return 2
    try:
        from screens.app import HuiqiApp
    except ImportError as exc:  # the interactive app is optional for the commands
        say(f"interactive app unavailable: {exc}", err=True)
        return 2
    app = HuiqiApp(lang=lang)
    app.run()
    return app.return_code or 0
