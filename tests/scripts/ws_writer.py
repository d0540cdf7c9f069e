"""A scripted help-desk session for the crash and concurrency tests.

Usage: ws_writer.py CLIENTS_DIR SEED COUNT FACTSET [CLIENT_FILE]

Answers COUNT questions one at a time on one client, saving after each like the app's autosave.
Before each save it prints ``TRY <fact> <value>``; once the save has returned, ``OK <fact>
<value>``: that answer is *confirmed*. FACTSET is ``all``, ``even`` or ``odd`` (which of the
number facts below it answers, so two writers can share a client). Without CLIENT_FILE it creates
a new client named after SEED.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.storage.client_store import Workspace  # noqa: E402

FACTS = ["employees", "trucks", "beds", "childcare_slots", "program_beds", "village_parcels",
         "above_quota_years", "equipment_min_years"]


def say(word: str, fact: str, value) -> None:
    print(f"{word} {fact} {json.dumps(value, ensure_ascii=False)}", flush=True)


def main() -> None:
    folder, seed, count, factset = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ws = Workspace(folder)
    if len(sys.argv) > 5:
        info = next(i for i in ws.list().clients if i.path.name == sys.argv[5])
        client, facts = ws.open(info), dict(info.facts)
    else:
        client, facts = ws.new(), {}
        facts["name"] = f"客户 {seed}"
        say("TRY", "name", facts["name"])
        ws.save(client, facts, seen=["name"])
        say("OK", "name", facts["name"])
    own = [f for i, f in enumerate(FACTS)
           if factset == "all" or (i % 2 == 0) == (factset == "even")]
    rng = random.Random(seed)
    go = os.environ.get("WS_WRITER_GO")      # a start line for writers meant to overlap
    while go and not os.path.exists(go):
        time.sleep(0.005)
    print(f"START {time.time()}", flush=True)
    for i in range(count):
        fact = own[i % len(own)]
        facts[fact] = rng.randrange(1, 10**6)
        say("TRY", fact, facts[fact])
        ws.save(client, facts, seen=[fact], position=fact)
        say("OK", fact, facts[fact])
    print(f"END {time.time()}", flush=True)


if __name__ == "__main__":
    main()
