"""Type-to-find (app.engine.search): Chinese, code, English, full pinyin, initials and a mix."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.engine.search import find, key, matches, rank, readings

CATERING = ["餐饮", "catering", "Catering (restaurants)"]
SOFTWARE = ["软件和信息技术服务", "software", "Software and IT services"]
HOTEL = ["住宿/酒店", "hotel", "Hotel / lodging"]
COLD = ["冷链物流", "cold_chain", "Cold-chain logistics"]
TRAVEL = ["旅行社", "tourism_agency", "Travel agency"]
SECTORS = [("catering", CATERING), ("software", SOFTWARE), ("hotel", HOTEL),
           ("cold_chain", COLD), ("tourism_agency", TRAVEL)]


@pytest.mark.parametrize("query", [
    "餐饮", "餐", "饮",                      # Chinese
    "catering",                              # code
    "restaurants", "Catering", "CATER",      # English, any case
    "canyin", "can", "yin",                  # full pinyin
    "cy", "c",                               # initials
    "cany", "cyin", "canyi", "餐y", "c饮",   # mixed
    "ｃｙ", "ｃａｎｙｉｎ",                   # full-width letters from an IME
])
def test_catering_is_found(query):
    assert matches(query, CATERING)
    assert find(query, SECTORS)[0] == "catering"


@pytest.mark.parametrize("query,expected", [
    ("ruanjian", "software"), ("rj", "software"), ("rjhxxjsfw", "software"),
    ("ruanjianhexinxi", "software"), ("software", "software"), ("IT", "software"),
    ("zhusu", "hotel"), ("jiudian", "hotel"), ("zhusujiudian", "hotel"), ("zsjd", "hotel"),
    ("lodging", "hotel"),
    ("coldchain", "cold_chain"), ("cold_chain", "cold_chain"), ("cold-chain", "cold_chain"),
    ("lenglian", "cold_chain"), ("llwl", "cold_chain"),
    ("lvxingshe", "tourism_agency"), ("luxingshe", "tourism_agency"),   # ü typed v or u
    ("lxs", "tourism_agency"),
])
def test_each_kind_of_query(query, expected):
    assert find(query, SECTORS)[0] == expected


@pytest.mark.parametrize("query", ["xyz", "cyz", "canyinx", "软件餐", "ruanjianz", "qq"])
def test_no_match(query):
    assert not any(matches(query, texts) for _, texts in SECTORS)


def test_polyphones_every_reading_counts():
    assert {"xing", "hang"} <= set(readings("行"))
    assert matches("yinhang", ["银行"]) and matches("yinxing", ["银行"])
    assert matches("chongqing", ["重庆"]) and matches("cq", ["重庆"])
    assert matches("hangye", ["行业"])


def test_several_words_must_all_match():
    assert matches("can yin", CATERING)           # pinyin with a space between syllables
    assert matches("老王 cy", ["老王餐馆", "餐饮"])   # one word per text
    assert not matches("老王 rj", ["老王餐馆", "餐饮"])


def test_an_empty_query_finds_everything_in_order():
    assert find("", SECTORS) == [code for code, _ in SECTORS]
    assert find("   ", SECTORS) == [code for code, _ in SECTORS]


def test_better_fits_first_then_list_order():
    # 「yl」 begins 养老服务 (yang lao) and is inside 收银流程 (shou yin liu cheng)
    items = [("cashier", ["收银流程"]), ("elderly", ["养老服务"])]
    assert rank("yl", items[1][1]) == 0 and rank("yl", items[0][1]) == 1
    assert find("yl", items) == ["elderly", "cashier"]
    # equal fits keep the list's order
    assert find("c", [("x", ["餐饮"]), ("y", ["城区"])]) == ["x", "y"]
    assert find("c", [("y", ["城区"]), ("x", ["餐饮"])]) == ["y", "x"]


def test_punctuation_and_spaces_in_labels_can_be_passed_over():
    assert matches("kygjcz", ["客运（公交、出租、客运站）"])
    assert matches("jianjiao", ["坚/交"])
    # a space is not passed over: one word is not found across two English words
    assert not matches("ls", ["Energy saving and environmental services"])
    assert matches("road freight", ["Road freight"])


def test_keys_are_cached_per_label():
    assert key("餐饮") is key("餐饮")


def test_untrusted_text_is_only_text():
    assert matches("[b]", ["x[b]y"])
    assert not matches("[b]", ["bold"])
    assert matches("(", ["a(b)"])


def test_pypinyin_is_loaded_without_its_phrase_dictionary_and_env_restored():
    code = ("import os, sys; from app.engine.search import matches; "
            "assert matches('cy', ['餐饮']); "
            "print('pypinyin.phrases_dict' in sys.modules, 'PYPINYIN_NO_PHRASES' in os.environ, "
            "'textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_pypinyin_is_not_imported_until_a_search():
    code = "import sys, app.engine.search; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_rare_readings_find_but_come_after_the_common_one():
    assert readings("造")[0] == "zao" and "cao" in readings("造")
    items = [("manufacturing", ["工业/制造业"]), ("sports", ["体育"]), ("catering", ["餐饮"])]
    assert find("cy", items) == ["catering", "sports", "manufacturing"]
    assert rank("yinxing", ["银行"]) == 0 and rank("yinhang", ["银行"]) == 2   # both find it
