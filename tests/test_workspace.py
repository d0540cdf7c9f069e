"""Saved clients: file format, list/search/rename/duplicate/delete, corrupt files set aside,
crash safety (kill -9 at random points) and two writers on one folder."""

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from app.storage.profile_files import load_profile
from app.storage.client_store import DONE, IN_PROGRESS, Workspace, results_digest

WRITER = Path(__file__).parent / "scripts" / "ws_writer.py"
TODAY = dt.date(2026, 11, 22)
WUHAI = {"name": "老王餐馆", "league": "wuhai", "entity_type": "individual",
         "sectors": ["catering"], "employees": 8, "revenue": 150, "founded": dt.date(2021, 3, 15)}


@pytest.fixture
def ws(tmp_path):
    return Workspace(tmp_path / "clients")


def saved(ws, facts, **kw):
    client = ws.new()
    ws.save(client, facts, **kw)
    return client


def test_a_saved_client_is_a_contract_profile_with_a_record(ws, mini):
    client = saved(ws, WUHAI, seen=["name", "league"], position="employees", catalog=mini, as_of=TODAY)
    assert "results" not in tomllib.loads(client.path.read_text(encoding="utf-8"))["huiqi"]
    ws.save(client, WUHAI, catalog=mini, as_of=TODAY, state=DONE)    # results seen: digest kept
    ws.save(client, WUHAI, position="employees", state=IN_PROGRESS, catalog=mini, as_of=TODAY)
    assert client.path.name == "老王餐馆.toml"
    profile = load_profile(client.path, mini.registry)
    assert profile.facts == WUHAI
    assert profile.warnings == []          # our [huiqi] table is not "unknown"
    data = tomllib.loads(client.path.read_text(encoding="utf-8"))
    meta = data["huiqi"]
    assert meta["id"] == client.id and meta["state"] == IN_PROGRESS
    assert meta["position"] == "employees" and meta["seen"] == ["name", "league"]
    assert meta["catalog_sha"] == mini.sha and meta["assessed_on"] == TODAY
    assert meta["results"] == results_digest(mini, WUHAI, TODAY)
    assert isinstance(meta["created"], dt.datetime) and meta["updated"] >= meta["created"]
    assert data["business"]["sectors"] == ["catering"]


def test_the_assess_command_reads_a_saved_client_without_warnings(ws):
    client = saved(ws, WUHAI)
    run = subprocess.run([sys.executable, "-m", "app", "assess", str(client.path), "--format", "json",
                          "--as-of", "2026-11-22"], capture_output=True, text=True,
                         cwd=Path(__file__).parent.parent)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert json.loads(run.stdout)["profile"]["derived"]["size_class"] == "micro"


def test_a_hand_edit_keeps_its_comments_and_unknown_keys(ws):
    client = saved(ws, {"name": "甲"})
    text = client.path.read_text(encoding="utf-8")
    text = text.replace("[business]", "[business]\n# 客户自己说的，未核实\nfavourite_colour = \"red\"")
    client.path.write_text(text, encoding="utf-8")
    info = ws.list().clients[0]
    c = ws.open(info)
    ws.save(c, {**info.facts, "employees": 12})
    after = c.path.read_text(encoding="utf-8")
    assert "# 客户自己说的，未核实" in after and 'favourite_colour = "red"' in after
    assert "employees = 12" in after


def test_forgetting_an_answer_removes_it_from_the_file(ws):
    client = saved(ws, {"name": "甲", "employees": 5, "revenue": 10})
    ws.save(client, {"name": "甲", "revenue": 10})
    assert "employees" not in load_profile(client.path, ws.registry).facts


def test_names_in_any_script_get_safe_distinct_file_names(ws):
    a = saved(ws, {"name": "a/b:c*?"})
    b = saved(ws, {"name": "a/b:c*?"})
    c = saved(ws, {"name": "ᠮᠣᠩᠭᠣᠯ 蒙古包"})
    d = saved(ws, {})
    assert a.path.parent == b.path.parent == ws.folder
    assert a.path != b.path and "/" not in a.path.stem and ":" not in a.path.stem
    assert c.path.stem == "ᠮᠣᠩᠭᠣᠯ 蒙古包"
    assert d.path.name.startswith("未命名客户")
    assert sorted(i.name for i in ws.list().clients) == ["", "a/b:c*?", "a/b:c*?", "ᠮᠣᠩᠭᠣᠯ 蒙古包"]


def test_list_search_rename_duplicate_delete(ws):
    saved(ws, WUHAI)
    saved(ws, {"name": "呼市托育中心", "league": "hohhot", "sectors": ["childcare"]}, note="张三 周二来电")
    infos = ws.list().clients
    assert [i.name for i in infos] == ["呼市托育中心", "老王餐馆"]          # newest first
    assert [i.name for i in ws.search(infos, "乌海")] == ["老王餐馆"]      # league label
    assert [i.name for i in ws.search(infos, "餐饮")] == ["老王餐馆"]      # sector label
    assert [i.name for i in ws.search(infos, "张三")] == ["呼市托育中心"]  # staff note
    assert [i.name for i in ws.search(infos, "hohhot 托育")] == ["呼市托育中心"]
    assert ws.search(infos, "包头") == []
    wang = next(i for i in infos if i.name == "老王餐馆")
    renamed = ws.rename(wang, "王记餐馆")
    assert renamed.path.name == "王记餐馆.toml" and not wang.path.exists()
    assert renamed.id == wang.id and renamed.facts["employees"] == 8
    copy = ws.duplicate(renamed, "李记餐馆")
    assert copy.id != renamed.id and copy.state == IN_PROGRESS
    assert {k: v for k, v in copy.facts.items() if k != "name"} == \
        {k: v for k, v in renamed.facts.items() if k != "name"}
    ws.delete(renamed)
    assert {i.name for i in ws.list().clients} == {"李记餐馆", "呼市托育中心"}


@pytest.mark.parametrize("content", [
    b"[business\nname = 1", "name = 'x'\n[business]\nemployees = \"八\"".encode(),
    "[business]\nname = '半截".encode(), "[business]\nname = '甲'".encode("gbk"), b"",
])
def test_a_corrupt_file_is_set_aside_and_reported_never_breaking_the_list(ws, content):
    saved(ws, WUHAI)
    ws.folder.joinpath("坏文件.toml").write_bytes(content)
    listing = ws.list()
    if content == b"":                    # an empty file is a valid, empty profile
        assert len(listing.clients) == 2 and listing.set_aside == []
        return
    assert [i.name for i in listing.clients] == ["老王餐馆"]
    (bad,) = listing.set_aside
    assert bad.original.name == "坏文件.toml" and bad.key.startswith("error.")
    assert bad.moved_to.parent.name == "damaged" and bad.moved_to.read_bytes() == content
    assert not bad.original.exists()
    assert ws.list().set_aside == []       # reported once, then out of the way


def test_a_client_file_broken_while_open_is_set_aside_and_the_answers_rewritten(ws):
    client = saved(ws, WUHAI)
    client.path.write_text("[business]\nname = ", encoding="utf-8")
    ws.save(client, {**WUHAI, "trucks": 3})
    assert load_profile(client.path, ws.registry).facts == {**WUHAI, "trucks": 3}
    assert len(list((ws.folder / "damaged").iterdir())) == 1


def test_resume_offers_the_latest_unfinished_client(ws):
    assert ws.latest_unfinished() is None
    saved(ws, {"name": "做完了"}, state=DONE)
    assert ws.latest_unfinished() is None
    saved(ws, {"name": "做了一半", "employees": 3}, seen=["name", "employees"], position="revenue")
    info = ws.latest_unfinished()
    assert info.name == "做了一半" and info.position == "revenue" and info.seen == ["name", "employees"]


def test_resume_follows_the_save_order_not_the_clock(ws, monkeypatch):
    import app.storage.client_store as workspace
    now = [dt.datetime(2026, 5, 2, 10, tzinfo=dt.timezone.utc)]
    monkeypatch.setattr(workspace, "_now", lambda: now[0])
    saved(ws, {"name": "昨天的", "employees": 3}, position="revenue")
    now[0] = dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc)      # the clock set back a day
    saved(ws, {"name": "刚才的", "employees": 5}, position="revenue")   # then interrupted
    assert ws.latest_unfinished().name == "刚才的"
    (ws.folder / workspace.SEQ).unlink()             # a lost counter goes on from the files
    saved(ws, {"name": "又一个", "employees": 7}, position="revenue")
    assert ws.latest_unfinished().name == "又一个"


def test_a_file_that_cannot_be_moved_is_not_said_to_be_moved(ws, monkeypatch):
    from app.i18n.locale import Locale
    saved(ws, WUHAI)
    (ws.folder / "坏.toml").write_text("[business\n", encoding="utf-8")

    def read_only(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("app.storage.client_store.os.replace", read_only)
    (bad,) = ws.list().set_aside
    assert bad.moved_to is None and (ws.folder / "坏.toml").exists()
    for lang in ("zh_CN", "en"):
        text = Locale(lang).t(bad.notice_key, file=bad.original.name, reason="x", folder=str(ws.folder))
        assert "移到" not in text and "moved to" not in text
    monkeypatch.undo()
    (bad,) = ws.list().set_aside
    assert bad.moved_to is not None
    assert "移到" in Locale("zh_CN").t(bad.notice_key, file="f", reason="x", folder="d")


def test_leftover_temporary_files_are_ignored_and_cleaned(ws):
    saved(ws, WUHAI)
    tmp = ws.folder / ".~abc.tmp"
    tmp.write_text("[business]\nname = '半", encoding="utf-8")
    old = time.time() - 3600
    os.utime(tmp, (old, old))
    assert [i.name for i in ws.list().clients] == ["老王餐馆"]
    assert not tmp.exists()


def test_the_flag_appears_only_when_a_new_catalog_changes_the_results(ws, mini, tmp_path):
    from app.storage.catalog_files import load_catalog
    saved(ws, WUHAI, catalog=mini, as_of=TODAY, state=DONE)
    other = {"name": "无关的", "league": "alxa", "sectors": ["other"], "employees": 50,
             "founded": dt.date(2010, 1, 1)}
    saved(ws, other, catalog=mini, as_of=TODAY, state=DONE)
    assert not any(i.changed for i in ws.list(mini).clients)
    # A new catalog edition: the same text with one amount raised.
    text = (Path(__file__).parent / "data" / "mini.toml").read_text(encoding="utf-8")
    changed_text = _raise_an_amount(text, mini, WUHAI, other)
    path = tmp_path / "new.toml"
    path.write_text(changed_text, encoding="utf-8")
    new = load_catalog(path, use_cache=False)
    assert new.sha != mini.sha
    flags = {i.name: i.changed for i in ws.list(new).clients}
    assert flags == {"老王餐馆": True, "无关的": False}
    # Opening the client (marking it reviewed) clears the flag.
    wang = next(i for i in ws.list(new).clients if i.name == "老王餐馆")
    ws.mark_reviewed(wang, new, as_of=TODAY)
    assert not any(i.changed for i in ws.list(new).clients)


def _raise_an_amount(text, catalog, facts, other):
    """The catalog text with the amount of one policy the client is shown (and the other client
    is not) multiplied by 2."""
    from app.engine.assessment import assess
    theirs = {r.policy.id for r in assess(catalog, other, TODAY).shown}
    shown = [r for r in assess(catalog, facts, TODAY).shown
             if r.amount and r.amount.known and r.amount.max and r.policy.id not in theirs]
    assert shown, "the mini catalog must give the restaurant a policy with an amount"
    target = shown[0].policy.id
    start = text.index(f'id = "{target}"')
    import re
    m = re.compile(r"(value|max|min|per_unit|cap) = (\d+)").search(text, start)
    assert m, target
    return text[:m.start(2)] + str(int(m.group(2)) * 2) + text[m.end(2):]


# ---------------------------------------------------------------- crash safety

def _run_writer(clients, seed, count, factset, client_file=None, go=None):
    args = [sys.executable, str(WRITER), str(clients), str(seed), str(count), factset]
    if client_file:
        args.append(client_file)
    env = {**os.environ, **({"WS_WRITER_GO": str(go)} if go else {})}
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _span(out):
    times = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith(("START", "END")))
    return float(times["START"]), float(times["END"])


def _expected(lines):
    """Last confirmed value per fact, and the answer in flight when the writer died."""
    confirmed, in_flight = {}, None
    for line in lines:
        word, _, rest = line.partition(" ")
        if word not in ("TRY", "OK"):
            continue
        fact, value = rest.split(" ", 1)
        if word == "TRY":
            in_flight = (fact, json.loads(value))
        elif word == "OK":
            confirmed[fact] = json.loads(value)
            in_flight = None
    return confirmed, in_flight


def test_kill_9_at_random_points_loses_no_confirmed_answer(tmp_path):
    rng = random.Random(20261122)
    trials, kills_mid_session = 50, 0
    for trial in range(trials):
        clients = tmp_path / f"t{trial}"
        proc = _run_writer(clients, f"k{trial}", 400, "all")
        time.sleep(rng.uniform(0.05, 0.6))        # start-up is ~0.1 s; saves are ~ms each
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        lines = out.splitlines()
        confirmed, in_flight = _expected(lines)
        kills_mid_session += bool(lines) and proc.returncode == -signal.SIGKILL
        files = list(clients.glob("*.toml")) if clients.exists() else []
        assert len(files) <= 1
        if not confirmed:
            continue
        assert len(files) == 1, f"trial {trial}: confirmed answers but no file"
        facts = load_profile(files[0], Workspace(clients).registry).facts   # readable, valid
        for fact, value in confirmed.items():
            allowed = [value] + ([in_flight[1]] if in_flight and in_flight[0] == fact else [])
            assert facts.get(fact) in allowed, f"trial {trial}: {fact} lost"
        extra = set(facts) - set(confirmed) - ({in_flight[0]} if in_flight else set())
        assert not extra, f"trial {trial}: unexpected {extra}"
    assert kills_mid_session >= trials // 2, "too few kills landed mid-session to mean anything"


def test_two_writers_on_one_client_lose_no_answers(tmp_path):
    clients = tmp_path / "shared"
    first = _run_writer(clients, "shared", 0, "all")
    first.communicate()
    (file,) = clients.glob("*.toml")
    go = tmp_path / "go"
    a = _run_writer(clients, "desk-a", 150, "even", file.name, go)
    b = _run_writer(clients, "desk-b", 150, "odd", file.name, go)
    time.sleep(0.5)                    # both started and waiting at the line
    go.touch()
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0 and b.returncode == 0, err_a + err_b
    (a0, a1), (b0, b1) = _span(out_a), _span(out_b)
    assert a0 < b1 and b0 < a1, "the two writers did not overlap: the test proved nothing"
    final = load_profile(next(clients.glob("*.toml")), Workspace(clients).registry).facts
    for out in (out_a, out_b):
        confirmed, in_flight = _expected(out.splitlines())
        assert in_flight is None and confirmed
        for fact, value in confirmed.items():
            assert final[fact] == value, fact
    assert final["name"] == "客户 shared"
    assert len(list(clients.glob("*.toml"))) == 1


def test_two_desks_creating_clients_with_the_same_name_keep_both(tmp_path):
    clients = tmp_path / "shared"
    go = tmp_path / "go"
    procs = [_run_writer(clients, "同名", 20, "all", go=go) for _ in range(2)]
    time.sleep(0.5)
    go.touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    infos = Workspace(clients).list().clients
    assert len(infos) == 2 and {i.name for i in infos} == {"客户 同名"}
    assert len({i.path for i in infos}) == 2
