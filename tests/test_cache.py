"""The parsed-catalog cache: same catalog back, and any damage to it is harmless."""

from pathlib import Path

from app.storage import cache
from app.storage.catalog_files import load_catalog

MINI = Path(__file__).parent / "data" / "mini.toml"


def test_cache_round_trip_and_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HUIQI_NO_CACHE", raising=False)
    first = load_catalog(MINI)
    files = list(tmp_path.glob("catalog-*.json"))
    assert len(files) == 1
    second = load_catalog(MINI)   # from the cache
    assert [p.id for p in second.policies] == [p.id for p in first.policies]
    assert second.policy("cloud").valid_until == first.policy("cloud").valid_until
    assert second.policy("cloud").sources[0].doc.title == "内蒙古自治区促进服务业发展政策"
    for damage in (b"{not json", b'{"policy": [{"id": 5}]}', b"[]"):
        files[0].write_bytes(damage)
        again = load_catalog(MINI)
        assert [p.id for p in again.policies] == [p.id for p in first.policies]


def test_a_changed_file_is_never_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HUIQI_CACHE_DIR", str(tmp_path / "c"))
    copy = tmp_path / "cat.toml"
    copy.write_bytes(MINI.read_bytes())
    assert load_catalog(copy).policy("cloud").title == "上云补助"
    copy.write_text(MINI.read_text(encoding="utf-8").replace("上云补助", "上云补助（新）"), encoding="utf-8")
    assert load_catalog(copy).policy("cloud").title == "上云补助（新）"
    assert cache.key_for(b"a") != cache.key_for(b"b")
