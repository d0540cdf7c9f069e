"""Batch runs (``python -m app batch``): a CSV roster or a folder of profiles, summary.csv and one
handout per business, every bad row named by row number and field, exit codes 0/1/2."""

import csv
import datetime as dt
import io
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from app.cli import main, profile_error_line
from app import batch
from app.engine.assessment import assess
from app.i18n.locale import Locale
from app.engine.profile import ProfileError
from app.storage.profile_files import load_profile
from app.render.report import title

ROOT = Path(__file__).parent.parent
AS_OF = "2026-11-22"
DAY = dt.date(2026, 11, 22)
COLS = {c: i for i, c in enumerate(batch.SUMMARY_COLUMNS)}

ROSTER = """\
name,league,business.entity_type,sectors,employees,revenue,founded,certifications,situation.difficulty,shoe_size
某某餐馆,wuhai,individual,catering,8,150,2021-03-15,,是,42
好再来酒店,乌海市,企业法人,酒店、餐饮,"1,000",3亿,2019/5/1,zjtx_sme;high_tech,no,
数错了,wuhai,individual,catering,八个,150,,,,
代码错了,wuhai,individual,karaoke,8,150,,,,
日期错了,wuhai,individual,catering,8,150,2021-02-30,,,
是非错了,wuhai,individual,catering,8,150,,,maybe,
,,,,,,,,,
老字号,hohhot,company,retail；wholesale,30,"2,000",2001-01-01,time_honored_nmg,否,
"""

# the good rows above, as the facts a profile file would state
EXPECTED = {
    2: {"name": "某某餐馆", "league": "wuhai", "entity_type": "individual", "sectors": ["catering"],
        "employees": 8, "revenue": 150, "founded": dt.date(2021, 3, 15), "difficulty": True},
    3: {"name": "好再来酒店", "league": "wuhai", "entity_type": "company", "sectors": ["hotel", "catering"],
        "employees": 1000, "revenue": 30000, "founded": dt.date(2019, 5, 1),
        "certifications": ["zjtx_sme", "high_tech"], "difficulty": False},
    9: {"name": "老字号", "league": "hohhot", "entity_type": "company", "sectors": ["retail", "wholesale"],
        "employees": 30, "revenue": 2000, "founded": dt.date(2001, 1, 1),
        "certifications": ["time_honored_nmg"], "difficulty": False},
}
BAD = {4: "employees", 5: "sectors", 6: "founded", 7: "situation.difficulty"}


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def summary(out: Path) -> list[list[str]]:
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def by_source(rows: list[list[str]]) -> dict[str, list[str]]:
    return {r[COLS["source"]]: r for r in rows[1:]}


def run_main(capsys, *args):
    code = main(["batch", *args, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


def test_roster_good_rows_summarised_and_bad_rows_named(tmp_path, capsys, bundled):
    src = write(tmp_path / "roster.csv", ROSTER)
    out = tmp_path / "out"
    code, stdout, err = run_main(capsys, str(src), "--out", str(out))
    assert code == 1                                   # some rows bad, the rest processed
    lines = err.splitlines()
    for row, column in BAD.items():
        named = [line for line in lines if line.startswith(f"第 {row} 行：{column}")]
        assert len(named) == 1, (row, column, err)
    assert "「八个」" in err and "「karaoke」" in err and "「2021-02-30」" in err and "「maybe」" in err
    assert sum("shoe_size" in line for line in lines) == 1       # warned once, by column name
    assert "Traceback" not in err
    assert "成功 3 个，有误 4 个" in stdout and str(out) in stdout

    rows = summary(out)
    assert rows[0][COLS["source"]].startswith("来源")
    table = by_source(rows)
    assert list(table) == ["2", "3", "4", "5", "6", "7", "9"]     # input order; the blank row skipped
    loc = Locale("zh_CN")
    for number, facts in EXPECTED.items():
        r = table[str(number)]
        a = assess(bundled, facts, DAY)
        eligible = a.by_section("apply_now")
        assert r[COLS["name"]] == facts["name"]
        assert r[COLS["status"]] == "正常"
        assert int(r[COLS["eligible"]]) == len(eligible) > 0
        assert int(r[COLS["possible"]]) == len(a.by_section("confirm"))
        assert (int(r[COLS["total_min"]]), int(r[COLS["total_max"]])) == a.total()
        first = next(x for x in eligible if x.group_choice is not False)
        assert r[COLS["top1"]].startswith(title(first, loc))
        handout = out / r[COLS["handout"]]
        assert r[COLS["handout"]] == f"{number:03d}-{facts['name']}.html"
        page = handout.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and facts["name"] in page
        assert title(first, loc) in page
    for number, column in BAD.items():
        r = table[str(number)]
        assert r[COLS["status"]].startswith(f"第 {number} 行：{column}")
        assert r[COLS["eligible"]] == "" and r[COLS["handout"]] == ""
    assert sorted(p.name for p in out.glob("*.html")) == [f"{n:03d}-{EXPECTED[n]['name']}.html" for n in (2, 3, 9)]


def test_cells_read_like_a_profile(tmp_path, bundled):
    src = write(tmp_path / "r.csv", ROSTER)
    roster = batch.read_input(src, bundled)
    items = {i.number: i for i in roster.items}
    for number, facts in EXPECTED.items():
        assert items[number].facts == facts
    assert roster.warnings == [("batch.unknown_column", {"column": "shoe_size"})]
    problems = {i.number: [(p.column, p.fact, p.key) for p in i.problems] for i in roster.items if i.problems}
    assert problems == {4: [("employees", "employees", "expected.int")],
                        5: [("sectors", "sectors", "expected.code")],
                        6: [("founded", "founded", "expected.date")],
                        7: [("situation.difficulty", "difficulty", "batch.expected_bool")]}


@pytest.mark.parametrize("cell", ["catering、retail", "catering;retail", "catering；retail",
                                  "餐饮，零售", "Catering (restaurants), retail", " catering ; ; retail ",
                                  "catering、retail、catering"])
def test_list_cells(tmp_path, bundled, cell):
    src = write(tmp_path / "r.csv", f'name,sectors\nx,"{cell}"\n')
    (item,) = batch.read_input(src, bundled).items
    assert item.facts == {"name": "x", "sectors": ["catering", "retail"]}


@pytest.mark.parametrize("kind,cells,value", [
    ("difficulty", ["true", "TRUE", "是", "yes", "Yes", "1"], True),
    ("difficulty", ["false", "否", "no", "NO", "0"], False),
    ("employees", ["1,000", "１０００", " 1000 ", "1000\u200b", "1000人"], 1000),
    ("revenue", ["30", "30万", "30万元", "300000元", "３０"], 30),
    ("revenue", ["1亿"], 10000),
    ("founded", ["2021-03-15", "2021/3/15", "2021年3月15日", "2021-03-15 00:00:00"], dt.date(2021, 3, 15)),
    ("certifications", ["无", "none"], []),
    ("league", ["wuhai", "乌海市", "Wuhai", "WUHAI"], "wuhai"),
])
def test_cell_kinds(bundled, kind, cells, value):
    parser = batch.CellParser(bundled)
    fact = bundled.registry.get(kind)
    for cell in cells:
        got = parser.parse(fact, batch.clean_cell(cell))
        assert got == value and type(got) is type(value), cell


@pytest.mark.parametrize("kind,cell,key", [
    ("employees", "1.5", "expected.int"),
    ("employees", "-3", "expected.nonnegative"),
    ("revenue", "很多", "expected.money"),
    ("difficulty", "2", "batch.expected_bool"),
    ("founded", "2021-03", "expected.date"),
    ("area", "city", "expected.code"),
    ("employees", "1" + "0" * 20, "batch.too_large"),
])
def test_bad_cells(bundled, kind, cell, key):
    with pytest.raises(ValueError) as exc:
        batch.CellParser(bundled).parse(bundled.registry.get(kind), cell)
    assert exc.value.args[0] == key


def test_blank_cells_are_unknown_never_false(tmp_path, bundled):
    src = write(tmp_path / "r.csv", "name,league,entity_type,sectors,rents_state_property,certifications\n"
                                    "空着,wuhai,individual,catering,,\n"
                                    "填了否,wuhai,individual,catering,否,无\n")
    blank, stated = batch.read_input(src, bundled).items
    assert "rents_state_property" not in blank.facts and "certifications" not in blank.facts
    assert stated.facts["rents_state_property"] is False and stated.facts["certifications"] == []
    a = {r.policy.id: r.status for r in assess(bundled, blank.facts, DAY, include_ineligible=True).results}
    b = {r.policy.id: r.status for r in assess(bundled, stated.facts, DAY, include_ineligible=True).results}
    became_possible = [pid for pid in a if a[pid] == "possible" and b[pid] in ("ineligible", "near_miss")]
    assert became_possible, "a blank cell should leave a policy possible that a stated 否 excludes"
    assert not [pid for pid in a if a[pid] == "ineligible" and b[pid] != "ineligible"]


def test_gbk_csv_from_chinese_excel(tmp_path, capsys, bundled):
    src = write(tmp_path / "gbk.csv", "name,league,entity_type,sectors,employees\r\n"
                                      "草原羊肉馆,乌海市,个体工商户,餐饮,8\r\n", encoding="gbk")
    with pytest.raises(UnicodeDecodeError):
        src.read_bytes().decode("utf-8")
    (item,) = batch.read_input(src, bundled).items
    assert item.facts == {"name": "草原羊肉馆", "league": "wuhai", "entity_type": "individual",
                          "sectors": ["catering"], "employees": 8}
    code, _, err = run_main(capsys, str(src), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert by_source(summary(tmp_path / "out"))["2"][COLS["name"]] == "草原羊肉馆"
    assert (tmp_path / "out" / "002-草原羊肉馆.html").is_file()


def test_utf8_bom_header_is_recognised(tmp_path, capsys, bundled):
    src = write(tmp_path / "bom.csv", "name,employees\n小店,3\n", encoding="utf-8-sig")
    roster = batch.read_input(src, bundled)
    assert roster.warnings == []
    assert roster.items[0].facts == {"name": "小店", "employees": 3}
    code, _, err = run_main(capsys, str(src), "--out", str(tmp_path / "out"))
    assert code == 0 and "name" not in err


def test_folder_of_profiles_with_a_corrupt_file(tmp_path, capsys, bundled):
    folder = tmp_path / "clients"
    folder.mkdir()
    write(folder / "a.toml", '[business]\nname = "甲餐馆"\nleague = "wuhai"\nsectors = ["catering"]\nemployees = 8\n'
                             '[business2]\nx = 1\n')
    write(folder / "b.toml", '[business\nname = "坏文件"\n')
    write(folder / "c.toml", '[business]\nname = "丙"\nemployees = "many"\n')
    write(folder / "d.toml", '[business]\nname = "丁"\nentity_type = "individual"\n')
    write(folder / "notes.txt", "not a profile")
    out = tmp_path / "out"
    code, stdout, err = run_main(capsys, str(folder), "--out", str(out))
    assert code == 1
    loc = Locale("zh_CN")
    for name in ("b.toml", "c.toml"):
        with pytest.raises(ProfileError) as exc:
            load_profile(folder / name, bundled.registry)
        exc.value.file = name
        assert profile_error_line(exc.value, loc) in err.splitlines()
    assert "business.employees" in err
    assert "a.toml" in err and "business2" in err        # its warning, with the file's name
    table = by_source(summary(out))
    assert list(table) == ["a.toml", "b.toml", "c.toml", "d.toml"]
    assert table["a.toml"][COLS["status"]] == "正常" and table["d.toml"][COLS["status"]] == "正常"
    assert table["c.toml"][COLS["status"]].startswith("档案文件 c.toml")
    facts = load_profile(folder / "a.toml", bundled.registry).facts
    assert int(table["a.toml"][COLS["eligible"]]) == len(assess(bundled, facts, DAY).by_section("apply_now"))
    assert sorted(p.name for p in out.glob("*.html")) == ["001-甲餐馆.html", "004-丁.html"]


def test_same_names_never_overwrite_and_reruns_keep_other_files(tmp_path, capsys):
    src = write(tmp_path / "r.csv", "name,league,sectors,employees\n"
                                    "同名店,wuhai,catering,8\n同名店,hohhot,elderly_care,60\n"
                                    "a/b:c*,wuhai,retail,3\n,wuhai,retail,3\n")
    out = tmp_path / "out"
    out.mkdir()
    write(out / "notes.txt", "staff notes")
    write(out / "002-同名店.html", "old run")
    assert run_main(capsys, str(src), "--out", str(out))[0] == 0
    first, second = out / "002-同名店.html", out / "003-同名店.html"
    assert first.read_text(encoding="utf-8") != second.read_text(encoding="utf-8")
    assert "old run" not in first.read_text(encoding="utf-8")        # this command's own file: redone
    table = by_source(summary(out))
    assert [table[n][COLS["handout"]] for n in ("2", "3", "4", "5")] == [
        "002-同名店.html", "003-同名店.html", "004-a_b_c_.html", "005-client.html"]
    assert (out / "004-a_b_c_.html").is_file() and (out / "005-client.html").is_file()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "staff notes"
    before = sorted(p.name for p in out.iterdir())
    assert run_main(capsys, str(src), "--out", str(out))[0] == 0      # a re-run is normal
    assert sorted(p.name for p in out.iterdir()) == before


def test_english(tmp_path, capsys):
    src = write(tmp_path / "roster.csv", ROSTER)
    code, stdout, err = run_main(capsys, str(src), "--out", str(tmp_path / "out"), "--lang", "en")
    assert code == 1
    assert any(line.startswith("Row 4: employees (") for line in err.splitlines())
    assert "Processed 7 businesses: 3 done, 4 with errors" in stdout
    rows = summary(tmp_path / "out")
    assert rows[0][COLS["source"]].startswith("Source")
    assert by_source(rows)["2"][COLS["status"]] == "ok"
    total = by_source(rows)["2"][COLS["total_text"]]
    assert total.isascii() and ("CNY" in total or "no amount stated" in total or "Nothing to apply" in total)


def test_markdown_handouts(tmp_path, capsys):
    src = write(tmp_path / "r.csv", "name,league,sectors\n小店,wuhai,catering\n")
    code, _, _ = run_main(capsys, str(src), "--out", str(tmp_path / "out"), "--format", "md")
    assert code == 0
    text = (tmp_path / "out" / "002-小店.md").read_text(encoding="utf-8")
    assert text.startswith("# ") and "小店" in text
    assert not list((tmp_path / "out").glob("*.html"))


def test_unquoted_thousands_separator_is_caught(tmp_path, bundled):
    src = write(tmp_path / "r.csv", "name,employees,revenue\n店,8,1,500\n")
    (item,) = batch.read_input(src, bundled).items
    assert not item.ok
    line = batch.row_error_line(item.problems[0], Locale("zh_CN"), bundled)
    assert line.startswith("第 2 行") and "1,000" in line and "「500」" in line


def test_summary_text_never_runs_as_a_formula(tmp_path, capsys):
    src = write(tmp_path / "r.csv", "name,league\n=HYPERLINK(\"x\"),wuhai\n")
    assert run_main(capsys, str(src), "--out", str(tmp_path / "out"))[0] == 0
    assert by_source(summary(tmp_path / "out"))["2"][COLS["name"]] == "'=HYPERLINK(\"x\")"


def test_worker_processes_keep_order_and_content(tmp_path, bundled):
    rows = ["name,league,sectors,employees,revenue"]
    leagues, sectors = ["wuhai", "hohhot", "baotou"], ["catering", "retail", "elderly_care", "freight"]
    for n in range(40):
        rows.append(f"企业{n},{leagues[n % 3]},{sectors[n % 4]},{n * 7 % 300},{n * 13 % 900}" if n != 17
                    else "坏,wuhai,catering,很多,1")
    src = write(tmp_path / "r.csv", "\n".join(rows) + "\n")
    loc = Locale("zh_CN")
    results = {}
    for workers in (1, 2):
        roster = batch.read_input(src, bundled)
        results[workers] = batch.run_batch(roster, bundled, DAY, loc, tmp_path / f"out{workers}", workers=workers)
    assert results[1].lines == results[2].lines and results[1].errors == results[2].errors
    assert (tmp_path / "out1" / "summary.csv").read_bytes() == (tmp_path / "out2" / "summary.csv").read_bytes()
    for p in (tmp_path / "out1").glob("*.html"):
        assert (tmp_path / "out2" / p.name).read_bytes() == p.read_bytes()
    assert results[2].bad == 1 and results[2].ok == 39


@pytest.mark.parametrize("make,args", [
    (lambda t: t / "missing.csv", []),
    (lambda t: write(t / "empty.csv", ""), []),
    (lambda t: write(t / "header.csv", "name,employees\n\n,,\n"), []),
    (lambda t: write(t / "nofields.csv", "客户,人数\n甲,3\n"), []),
    (lambda t: write(t / "bin.csv", "\xff\xfe\x00", encoding="latin-1"), []),
    (lambda t: (t / "none").mkdir() or t / "none", []),
    (lambda t: write(t / "ok.csv", "name\nx\n"), ["--as-of", "2026-02-30"]),
    (lambda t: write(t / "ok.csv", "name\nx\n"), ["--lang", "fr"]),
    (lambda t: write(t / "ok.csv", "name\nx\n"), ["--format", "pdf"]),
])
def test_unusable_input_exits_2(tmp_path, capsys, make, args):
    src = make(tmp_path)
    code = main(["batch", str(src), "--out", str(tmp_path / "out"), *args])
    err = capsys.readouterr().err
    assert code == 2 and err.strip() and "Traceback" not in err
    assert not (tmp_path / "out" / "summary.csv").exists()


def test_output_folder_that_is_a_file_exits_2(tmp_path, capsys):
    src = write(tmp_path / "ok.csv", "name\nx\n")
    blocker = write(tmp_path / "out", "a file")
    code, _, err = run_main(capsys, str(src), "--out", str(blocker))
    assert code == 2 and str(blocker) in err


def test_all_good_exits_0_and_single_profile_file(tmp_path, capsys):
    profile = write(tmp_path / "one.toml", '[business]\nname = "一家"\nleague = "wuhai"\n')
    code, stdout, _ = run_main(capsys, str(profile), "--out", str(tmp_path / "out"))
    assert code == 0 and "成功 1 个，有误 0 个" in stdout
    assert (tmp_path / "out" / "001-一家.html").is_file()


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "app", "batch", *args], capture_output=True, text=True,
                          cwd=cwd, encoding="utf-8")


def test_command_in_a_subprocess_prints_no_traceback(tmp_path):
    src = write(tmp_path / "roster.csv", ROSTER)
    done = cli(str(src), "--out", str(tmp_path / "out"), "--as-of", AS_OF)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "第 4 行：employees" in done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 and "有误 4 个" in done.stdout
    assert len(summary(tmp_path / "out")) == 1 + 7
    for bad in ([str(tmp_path / "nothing-here.csv"), "--out", str(tmp_path / "o2")],
                [str(src)],                                            # no --out
                [str(src), "--out", str(tmp_path / "o3"), "--as-of", "tomorrow"]):
        done = cli(*bad)
        assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()


def test_both_locales_have_the_same_batch_keys():
    def flat(d, p=""):
        out = set()
        for k, v in d.items():
            out |= flat(v, f"{p}{k}.") if isinstance(v, dict) else {p + k}
        return out
    zh = flat(tomllib.loads((ROOT / "locales" / "zh_CN.batch.toml").read_text(encoding="utf-8")))
    en = flat(tomllib.loads((ROOT / "locales" / "en.batch.toml").read_text(encoding="utf-8")))
    assert zh == en and {k.split(".")[0] for k in zh} == {"batch"}
    assert {f"col.{c}" for c in batch.SUMMARY_COLUMNS} <= {k.split(".", 1)[1] for k in zh}
    for lang in ("zh_CN", "en"):
        loc = Locale(lang)
        assert all(loc.has(k) for k in zh), lang


def test_ctrl_c_leaves_a_summary_of_what_was_done(tmp_path, capsys, monkeypatch):
    src = write(tmp_path / "r.csv", "name,league,sectors,employees\n"
                                    + "".join(f"店{n},wuhai,catering,{n}\n" for n in range(1, 6)))
    out = tmp_path / "out"
    assert run_main(capsys, str(src), "--out", str(out))[0] == 0
    (out / "summary.csv").write_text("\ufeff" + "stale\r\n" * 9, encoding="utf-8")   # an older run
    real, calls = batch.assess_item, []

    def interrupted_on_the_third(item, *args):
        calls.append(item.source)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(item, *args)

    monkeypatch.setattr(batch, "assess_item", interrupted_on_the_third)
    code, stdout, err = run_main(capsys, str(src), "--out", str(out))
    assert code == 130
    (line,) = err.strip().splitlines()
    assert "已中断" in line and str(out) in line and "2" in line
    rows = summary(out)
    assert [r[COLS["source"]] for r in rows[1:]] == ["2", "3", "4", "5", "6"]
    assert [r[COLS["status"]] for r in rows[1:3]] == ["正常", "正常"]
    assert all(r[COLS["status"]].startswith("未处理") and r[COLS["handout"]] == "" for r in rows[3:])


def test_no_summary_is_left_from_an_earlier_run_while_running(tmp_path, capsys, monkeypatch):
    src = write(tmp_path / "r.csv", "name,employees\n甲,3\n乙,4\n")
    out = tmp_path / "out"
    assert run_main(capsys, str(src), "--out", str(out))[0] == 0
    seen = []

    def watch(item, *args):
        seen.append((out / "summary.csv").exists())
        return real(item, *args)

    real = batch.assess_item
    monkeypatch.setattr(batch, "assess_item", watch)
    assert run_main(capsys, str(src), "--out", str(out))[0] == 0
    assert seen == [False, False] and (out / "summary.csv").exists()
