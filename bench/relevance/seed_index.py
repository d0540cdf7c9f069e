"""List the leaf article paths of the seed documents (via tests/seed_articles.py), for labelling."""
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from seed_articles import articles  # noqa: E402


@dataclass
class Doc:
    file: str
    title: str
    traditional: bool = False


DOCS = [
    Doc("000_0c5501b2b09b5fc6.txt", "内蒙古自治区推动现代服务业产业集群发展实施方案（征求意见稿）"),
    Doc("001_a4a9a9a4bba6d5a9.txt", "内蒙古自治区促进服务业高质量发展实施方案（2022版）"),
    Doc("001_a4a9a9a4bba6d5a9.txt", "内蒙古自治区关于推动生活性服务业补短板上水平提高人民生活品质行动方案"),
    Doc("001_a4a9a9a4bba6d5a9.txt", "内蒙古自治区消费促进2022年行动方案"),
    Doc("001_a4a9a9a4bba6d5a9.txt", "内蒙古自治区促进服务业发展政策"),
    Doc("001_a4a9a9a4bba6d5a9.txt", "内蒙古自治区支持小微企业发展政策"),
    Doc("002_0fea9ae9a08434d9.txt", "内蒙古自治区积极发挥新消费引领作用加快培育形成新供给新动力实施方案"),
    Doc("003_9e6b7b675e3f30d9.txt", "乌海市促进服务业高质量发展三年攻坚行动实施方案"),
    Doc("004_3b4b78867df2c87c.txt", "呼和浩特市推进呼包鄂协同发展实施意见", traditional=True),
]


def index() -> dict[str, dict[str, str]]:
    """title -> {article path -> text}"""
    return {d.title: articles(d, DOCS) for d in DOCS}


if __name__ == "__main__":
    for title, arts in index().items():
        print(f"=== {title}: {len(arts)} articles")
        if "-v" in sys.argv:
            for path, text in arts.items():
                print(f"[{path}] {' '.join(text.split())}")
