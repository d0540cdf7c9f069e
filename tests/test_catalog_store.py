"""Installed catalogs (app/storage/catalog_store.py): install, rollback, diff, the catalog in use with
its fallbacks, and the catalog commands. HUIQI_DATA_DIR is a tmp folder (conftest); in process the
bundled catalog is replaced by tests/data/mini.toml to keep the tests fast."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.storage import catalog_store as store
from app.storage import paths
from app.engine.catalog import CatalogError
from app.storage.catalog_files import load_catalog

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.toml"
LOCALES = ROOT / "locales"


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


NEW_POLICY = '''
[[policy]]
id = "new-thing"
title = "新措施"
summary = "s"
kind = "award"
sources = [{ doc = "doc", article = "一/1", quote = "q2" }]
lead = ["自治区商务厅"]
steps = ["a", "b"]
[[policy.example]]
as_of = 2026-06-01
facts = {}
status = "eligible"

[[excluded]]
doc = "doc"
article = "一/6"'''

BEDS_POLICY = re.compile(r'\[\[policy\]\]\nid = "beds".*?(?=\[\[policy\]\])', re.S)


def v2_text() -> str:
    """mini.toml, version test-2 (later date): one amount changed, a title and validity changed,
    an agency changed, a policy added, one removed."""
    text = MINI.read_text(encoding="utf-8")
    text, n = BEDS_POLICY.subn("", text)
    assert n == 1
    return edit(text,
                ('version = "test-1"', 'version = "test-2"'),
                ("date = 2026-01-01", "date = 2026-06-01"),
                ('amount = { kind = "fixed", value = 50000 }', 'amount = { kind = "fixed", value = 80000 }'),
                ('title = "上云补助"', 'title = "企业上云补助"'),
                ("valid_until = 2022-12-31", "valid_until = 2023-12-31"),
                ('lead = ["乌海市商务局"]', 'lead = ["乌海市人民政府"]'),
                ('\n[[excluded]]\ndoc = "doc"\narticle = "一/6"', NEW_POLICY))


def v3_text() -> str:
    """v2 again, version test-3: the draft document is no longer a draft, one quote changed."""
    return edit(v2_text(),
                ('version = "test-2"', 'version = "test-3"'),
                ("date = 2026-06-01", "date = 2026-09-01"),
                ("draft = true", "draft = false"),
                ('article = "一/1", quote = "q2"', 'article = "一/1", quote = "q3"'))


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "usb"
    d.mkdir()
    out = {"v1": MINI, "v2": d / "v2.toml", "v3": d / "v3.toml"}
    out["v2"].write_text(v2_text(), encoding="utf-8")
    out["v3"].write_text(v3_text(), encoding="utf-8")
    return out


@pytest.fixture
def bundled_mini(monkeypatch):
    """The bundled catalog is mini.toml (fast); returns a setter to point it elsewhere."""
    monkeypatch.setattr(paths, "bundled_catalog", lambda: MINI)
    return lambda p: monkeypatch.setattr(paths, "bundled_catalog", lambda: Path(p))


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------- install

def test_install_makes_the_new_catalog_active(bundled_mini, files):
    res = store.install(files["v2"])
    assert res.changed and not res.repaired
    assert (res.before_source, res.before_version) == ("bundled", "test-1")
    assert (res.new.version, str(res.new.date), res.new.source_name) == ("test-2", "2026-06-01", "v2.toml")
    assert res.previous is None and res.warnings == []
    assert (len(res.diff.added), len(res.diff.removed), len(res.diff.changed), res.diff.unchanged) == (1, 1, 3, 3)

    act = store.active()
    assert (act.source, act.slot, act.version, str(act.date)) == ("installed", "current", "test-2", "2026-06-01")
    assert act.path.parent == paths.catalogs_dir() and act.fallback_from == []
    assert act.path.read_bytes() == files["v2"].read_bytes()
    assert act.catalog.policy("young-firms").amount["value"] == 80000
    assert act.catalog.policy("beds") is None and act.catalog.policy("new-thing") is not None

    state = store.read_installed()
    assert state.previous is None
    cur = state.current
    assert (cur.version, str(cur.date), cur.title, cur.source_name) == ("test-2", "2026-06-01", "test", "v2.toml")
    assert cur.sha == act.catalog.sha and cur.installed_at is not None
    raw = tomllib.loads((paths.catalogs_dir() / "installed.toml").read_text(encoding="utf-8"))
    assert raw["current"]["sha"] == cur.sha and raw["current"]["source_name"] == "v2.toml"


def test_second_install_keeps_the_first_as_previous(bundled_mini, files):
    store.install(files["v2"])
    res = store.install(files["v3"])
    assert (res.before_source, res.before_version, res.new.version) == ("installed", "test-2", "test-3")
    assert res.previous.version == "test-2"
    state = store.read_installed()
    assert (state.current.version, state.previous.version) == ("test-3", "test-2")
    assert sorted(p.name for p in paths.catalogs_dir().glob("catalog-*.toml")) == sorted(
        [state.current.file, state.previous.file])
    # a third install drops the oldest file
    store.install(files["v2"])
    state = store.read_installed()
    assert (state.current.version, state.previous.version) == ("test-2", "test-3")
    assert len(list(paths.catalogs_dir().glob("catalog-*.toml"))) == 2


def test_same_catalog_again_is_a_no_op(bundled_mini, files):
    store.install(files["v2"])
    store.active()                      # (brings last_good.toml up to date)
    before = snapshot(paths.catalogs_dir())
    res = store.install(files["v2"])
    assert not res.changed and res.new.version == "test-2" and res.before_source == "installed"
    assert snapshot(paths.catalogs_dir()) == before
    # the bundled catalog itself is in use already, too
    store.rollback()
    assert not store.install(MINI).changed


def test_older_catalog_installs_with_a_warning(bundled_mini, files):
    store.install(files["v3"])
    res = store.install(files["v2"])
    assert res.changed and store.active().version == "test-2"
    [(key, params)] = res.warnings
    assert key == "store.warn.older"
    assert (params["new_version"], params["old_version"]) == ("test-2", "test-3")


def _broken(tmp_path, kind):
    p = tmp_path / f"{kind}.toml"
    text = v2_text()
    if kind == "bad_toml":
        lines = text.splitlines()
        lines[40] = "title = = broken"
        p.write_text("\n".join(lines), encoding="utf-8")
        return p, 41
    if kind == "invalid":
        p.write_text(edit(text, ('kind = "award"\nsources = [{ doc = "doc", article = "一/1", quote = "q" }]',
                                 'kind = "prize"\nsources = [{ doc = "doc", article = "一/1", quote = "q" }]')),
                     encoding="utf-8")
        return p, text.splitlines().index('kind = "award"') + 1
    if kind == "not_utf8":
        p.write_bytes(text.encode("gb18030"))
        return p, 0
    if kind == "missing":
        return tmp_path / "no-such.toml", 0
    if kind == "fragment":      # policies without the [catalog] header
        p.write_text(edit(text, ('[catalog]\nversion = "test-2"\ndate = 2026-06-01\ntitle = "test"\n', "")),
                     encoding="utf-8")
        return p, 1
    if kind == "no_policies":
        p.write_text('[catalog]\nversion = "x"\ndate = 2027-01-01\ntitle = "empty"\n', encoding="utf-8")
        return p, 1
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["bad_toml", "invalid", "not_utf8", "missing", "fragment", "no_policies"])
def test_broken_install_changes_nothing_and_names_path_and_line(bundled_mini, files, tmp_path, kind):
    store.install(files["v3"])
    store.install(files["v2"])
    store.active()
    before = snapshot(paths.catalogs_dir())
    path, line = _broken(tmp_path, kind)
    with pytest.raises(CatalogError) as exc:
        store.install(path)
    problems = exc.value.problems
    assert problems and all(p.path == str(path) for p in problems)
    assert any(p.line == line for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith(f"{path}:{p.line}: ") for p in problems)
    assert snapshot(paths.catalogs_dir()) == before
    assert store.active().version == "test-2"


def test_install_waits_for_the_lock_and_gives_up_cleanly(bundled_mini, files, monkeypatch):
    from app.storage.atomic import FileLock
    monkeypatch.setattr(store, "_lock", lambda: FileLock(paths.catalogs_dir() / ".lock", timeout=0.1))
    with FileLock(paths.catalogs_dir() / ".lock"):
        with pytest.raises(store.StoreError) as exc:
            store.install(files["v2"])
    assert exc.value.key == "store.error.locked"
    assert store.read_installed().current is None and store.active().source == "bundled"


# ---------------------------------------------------------------- rollback

def test_rollback_swaps_and_a_second_rollback_reapplies(bundled_mini, files):
    store.install(files["v2"])
    store.install(files["v3"])
    res = store.rollback()
    assert (res.current.version, res.previous.version) == ("test-2", "test-3")
    assert store.active().version == "test-2"
    store.rollback()
    assert store.active().version == "test-3"
    assert store.read_installed().previous.version == "test-2"


def test_rollback_without_previous_goes_back_to_the_bundled(bundled_mini, files):
    store.install(files["v2"])
    res = store.rollback()
    assert res.current is None and res.previous.version == "test-2"
    act = store.active()
    assert (act.source, act.version, act.path) == ("bundled", "test-1", MINI)
    store.rollback()          # and back again
    assert store.active().version == "test-2"


def test_rollback_with_nothing_installed_is_an_error(bundled_mini):
    with pytest.raises(store.StoreError) as exc:
        store.rollback()
    assert exc.value.key == "store.error.nothing_to_roll_back"
    assert not (paths.catalogs_dir() / "installed.toml").exists()


def test_rollback_refuses_a_damaged_previous(bundled_mini, files):
    store.install(files["v2"])
    store.install(files["v3"])
    state = store.read_installed()
    state.previous.path.write_text("broken = [", encoding="utf-8")
    before = snapshot(paths.catalogs_dir())
    with pytest.raises(CatalogError) as exc:
        store.rollback()
    assert exc.value.problems[0].path == str(state.previous.path)
    assert snapshot(paths.catalogs_dir()) == before and store.active().version == "test-3"


# ---------------------------------------------------------------- diff

def test_diff_names_added_removed_changed_and_what_changed(files):
    old, new = load_catalog(files["v1"], use_cache=False), load_catalog(files["v2"], use_cache=False)
    d = store.diff(old, new)
    assert (d.old_version, str(d.old_date), d.new_version, str(d.new_date)) == ("test-1", "2026-01-01", "test-2", "2026-06-01")
    assert [c.id for c in d.added] == ["new-thing"] and d.added[0].title == "新措施"
    assert [c.id for c in d.removed] == ["beds"] and d.removed[0].title == "床位补贴"
    assert {c.id: c.aspects for c in d.changed} == {
        "cloud": ("title", "validity"), "young-firms": ("amount",), "wuhai-only": ("agencies",)}
    cloud = next(c for c in d.changed if c.id == "cloud")
    assert (cloud.old_title, cloud.title) == ("上云补助", "企业上云补助")
    assert d.unchanged == 3 and not d.empty

    d3 = store.diff(new, load_catalog(files["v3"], use_cache=False))
    assert {c.id: c.aspects for c in d3.changed} == {"draft-thing": ("validity",), "new-thing": ("sources",)}
    assert d3.added == d3.removed == []
    same = store.diff(new, load_catalog(files["v2"]))
    assert same.empty and same.unchanged == len(new.policies)


def test_diff_sees_conditions_and_materials(tmp_path):
    text = edit(MINI.read_text(encoding="utf-8"),
                ('{ fact = "beds", gte = 10 }', '{ fact = "beds", gte = 20 }'),
                ('lead = ["自治区民政厅"]\nconditions', 'lead = ["自治区民政厅"]\nmaterials = ["营业执照"]\nconditions'))
    p = tmp_path / "c.toml"
    p.write_text(text, encoding="utf-8")
    d = store.diff(load_catalog(MINI), load_catalog(p, use_cache=False))
    assert [(c.id, c.aspects) for c in d.changed] == [("beds", ("conditions", "steps"))]


# ---------------------------------------------------------------- the catalog in use, fallbacks

def test_nothing_installed_means_the_bundled(bundled_mini):
    act = store.active()
    assert (act.source, act.path, act.version, act.fallback_from, act.entry) == ("bundled", MINI, "test-1", [], None)


def test_fallback_chain_previous_bundled_last_good(bundled_mini, files, tmp_path):
    store.install(files["v2"])
    store.install(files["v3"])
    assert store.active().version == "test-3"             # last_good is now test-3
    last_good = paths.catalogs_dir() / "last_good.toml"
    assert last_good.read_bytes() == files["v3"].read_bytes()
    state = store.read_installed()
    cur, prev = state.current.path, state.previous.path

    cur.write_text(cur.read_text(encoding="utf-8") + "\n[[policy]\n", encoding="utf-8")   # bad TOML
    act = store.active()
    assert (act.source, act.slot, act.version) == ("installed", "previous", "test-2")
    [(failed, problems)] = act.fallback_from
    assert failed == cur and problems[0].path == str(cur) and "TOML" in problems[0].message

    prev.write_bytes(b"\xff\xfe not text")
    act = store.active()
    assert (act.source, act.version) == ("bundled", "test-1")
    assert [f for f, _ in act.fallback_from] == [cur, prev]

    assert last_good.read_bytes() == MINI.read_bytes()   # the last catalog that loaded
    broken = tmp_path / "bundled.toml"
    broken.write_text(edit(MINI.read_text(encoding="utf-8"), ('kind = "award"', 'kind = "prize"')), encoding="utf-8")
    bundled_mini(broken)
    act = store.active()
    assert (act.source, act.version, act.path) == ("last_good", "test-1", last_good)
    assert [f for f, _ in act.fallback_from] == [cur, prev, broken]
    assert any(p.line > 0 and "kind" in p.message for p in act.fallback_from[2][1])

    last_good.unlink()
    with pytest.raises(CatalogError) as exc:
        store.active()
    assert {p.path for p in exc.value.problems} == {str(cur), str(prev), str(broken)}


def test_an_installed_file_changed_since_install_is_not_used(bundled_mini, files):
    store.install(files["v2"])
    cur = store.read_installed().current.path
    cur.write_bytes(files["v3"].read_bytes())            # valid, but not what was installed
    act = store.active()
    assert act.source == "bundled"
    assert act.fallback_from[0][1][0].key == "store.problem.changed"
    res = store.install(files["v2"])                     # installing it again repairs it
    assert res.changed and res.repaired
    assert store.active().version == "test-2" and cur.read_bytes() == files["v2"].read_bytes()


def test_a_damaged_record_falls_back_and_install_rebuilds_it(bundled_mini, files):
    store.install(files["v2"])
    (paths.catalogs_dir() / "installed.toml").write_text("[current\n", encoding="utf-8")
    act = store.active()
    assert act.source == "bundled"
    [(failed, problems)] = act.fallback_from
    assert failed.name == "installed.toml" and problems[0].key == "store.problem.meta_damaged"
    res = store.install(files["v3"])
    assert [k for k, _ in res.warnings] == ["store.warn.meta_replaced"]
    assert store.active().version == "test-3" and store.active().fallback_from == []


def test_last_good_is_copied_only_when_it_differs(bundled_mini, files, monkeypatch):
    writes = []
    real = store.write_atomic
    monkeypatch.setattr(store, "write_atomic", lambda p, d: (writes.append(Path(p).name), real(p, d)))
    store.active()
    store.active()
    assert writes == ["last_good.toml"]
    assert (paths.catalogs_dir() / "last_good.toml").read_bytes() == MINI.read_bytes()


def test_active_uses_the_given_loader(bundled_mini):
    seen = []

    def loader(path):
        seen.append(Path(path))
        return load_catalog(path)
    assert store.active(load=loader).version == "test-1" and seen == [MINI]


# ---------------------------------------------------------------- messages

def _flat(d, p=""):
    out = set()
    for k, v in d.items():
        out |= _flat(v, f"{p}{k}.") if isinstance(v, dict) else {p + k}
    return out


def test_store_messages_exist_in_both_languages():
    zh = _flat(tomllib.loads((LOCALES / "zh_CN.catalog_store.toml").read_text(encoding="utf-8")))
    en = _flat(tomllib.loads((LOCALES / "en.catalog_store.toml").read_text(encoding="utf-8")))
    assert zh == en and all(k.startswith("store.") for k in zh)
    used = set()
    for f in (ROOT / "app" / "cli.py", ROOT / "app" / "storage" / "catalog_store.py"):
        used |= set(re.findall(r'"(store\.[a-z_]+(?:\.[a-z_]+)+)"', f.read_text(encoding="utf-8")))
    used |= {f"store.aspect.{a}" for a in store.ASPECTS} | {f"store.source.{s}" for s in (*store.SOURCES, "previous")}
    assert used - zh == set()


# ---------------------------------------------------------------- the commands

def run(*args):
    cmd = [sys.executable, "-m", "app", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, encoding="utf-8")


def no_traceback(out):
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    return out


@pytest.fixture
def profile(tmp_path):
    p = tmp_path / "client.toml"
    p.write_text('[business]\nleague = "wuhai"\nsectors = ["catering"]\nemployees = 8\n', encoding="utf-8")
    return p


def test_cli_install_status_assess_diff_rollback(files, profile, tmp_path):
    bad, line = _broken(tmp_path, "invalid")
    out = no_traceback(run("catalog", "install", str(bad)))
    assert out.returncode == 2 and f"{bad}:{line}: " in out.stderr and "没有安装" in out.stderr
    assert not (paths.catalogs_dir() / "installed.toml").exists()

    v2 = load_catalog(files["v2"])
    out = no_traceback(run("catalog", "install", str(files["v2"])))
    assert out.returncode == 0, out.stderr
    bundled_version = load_catalog(paths.bundled_catalog()).version
    assert bundled_version in out.stdout and "test-2" in out.stdout    # bundled → new
    assert f"新增 {len(v2.policies)} 项" in out.stdout and "rollback" in out.stdout
    assert "比原来使用的" in out.stderr                            # test-2 is older than the bundled
    assert store.read_installed().current.version == "test-2"

    out = no_traceback(run("assess", str(profile), "--format", "json"))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["catalog"]["version"] == "test-2"

    out = no_traceback(run("catalog", "install", str(files["v3"]), "--lang", "en"))
    assert out.returncode == 0 and "test-2" in out.stdout and "test-3" in out.stdout
    out = no_traceback(run("catalog", "status"))
    assert out.returncode == 0
    assert "test-3" in out.stdout and "已安装的目录" in out.stdout and "v3.toml" in out.stdout
    assert "上一个目录：版本 test-2" in out.stdout

    out = no_traceback(run("catalog", "diff", "previous", "installed"))
    assert out.returncode == 0
    assert "draft-thing" in out.stdout and "有效期或状态" in out.stdout and "new-thing" in out.stdout
    out = no_traceback(run("catalog", "diff", str(files["v1"]), str(files["v2"]), "--lang", "en"))
    assert out.returncode == 0
    assert "+ new-thing" in out.stdout and "- beds" in out.stdout and "* young-firms" in out.stdout
    assert "amount" in out.stdout
    out = no_traceback(run("catalog", "diff", str(files["v1"]), str(bad)))
    assert out.returncode == 2 and f"{bad}:{line}: " in out.stderr

    out = no_traceback(run("catalog", "rollback"))
    assert out.returncode == 0 and "test-2" in out.stdout
    out = no_traceback(run("assess", str(profile), "--format", "json"))
    assert json.loads(out.stdout)["catalog"]["version"] == "test-2"


def test_cli_rollback_with_nothing_installed():
    out = no_traceback(run("catalog", "rollback"))
    assert out.returncode == 2 and "没有可以回退的目录" in out.stderr and out.stdout == ""


def test_cli_assess_says_when_it_falls_back(files, profile):
    store.install(files["v2"])
    store.install(files["v3"])
    cur = store.read_installed().current.path
    cur.write_text("[catalog\n", encoding="utf-8")
    out = no_traceback(run("assess", str(profile), "--format", "json"))
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["catalog"]["version"] == "test-2"
    [line] = out.stderr.strip().splitlines()
    assert str(cur) in line and "无法使用" in line and "已改用上一个已安装的目录" in line and "test-2" in line
    # an explicit --catalog is that file or nothing: no fallback
    out = no_traceback(run("assess", str(profile), "--catalog", str(cur)))
    assert out.returncode == 2 and str(cur) in out.stderr
