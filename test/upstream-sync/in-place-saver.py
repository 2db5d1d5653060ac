"""graph.jsonl written the ways other tools write it, not upstream's (which takes graph.lock and renames):

  in-place-saver.py once FILE PAUSE
      an unchanged save in place, as an editor or `cat >` makes it: the file truncated, PAUSE seconds,
      then its text written back
  in-place-saver.py loop FILE STOP_FILE READY_FILE
      in-place saves of what the file holds, one after another until STOP_FILE exists: read it, truncate
      it, write half, pause a moment, write the rest; makes READY_FILE after the first; prints the number of saves
  in-place-saver.py stale FILE READY_FILE GO_FILE
      a writer that skips graph.lock: reads the file, makes READY_FILE, waits for GO_FILE, then renames
      its copy over the file with its own change (a task `stale-own`, a log entry on `shared`)
"""
import datetime, json, os, random, sys, time


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def once(path, pause):
    with open(path) as f:
        text = f.read()
    with open(path, "w") as out:
        out.flush()
        time.sleep(pause)
        out.write(text)


def loop(path, stop, ready):
    saves = 0
    while not os.path.exists(stop):
        with open(path) as f:
            text = f.read()
        half = len(text) // 2
        with open(path, "w") as out:
            out.write(text[:half])
            out.flush()
            time.sleep(random.uniform(0, 0.03))
            out.write(text[half:])
        saves += 1
        if saves == 1:
            open(ready, "w").close()
        time.sleep(random.uniform(0, 0.1))
    print(saves)


def stale(path, ready, go):
    with open(path) as f:
        lines = [line for line in f.read().split("\n") if line.strip()]
    open(ready, "w").close()
    while not os.path.exists(go):
        time.sleep(0.02)
    out = []
    for line in lines:
        node = json.loads(line)
        if node.get("id") == "shared":
            node.setdefault("log", []).append({"timestamp": now(), "actor": "stale", "message": "stale writer"})
            line = json.dumps(node, separators=(",", ":"))
        out.append(line)
    out.append(json.dumps({"kind": "task", "id": "stale-own", "title": "Stale own", "status": "open", "created_at": now()}))
    tmp = path + ".stale"
    with open(tmp, "w") as f:
        f.write("\n".join(out) + "\n")
    os.rename(tmp, path)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "once":
        once(sys.argv[2], float(sys.argv[3]))
    elif mode == "loop":
        loop(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        stale(sys.argv[2], sys.argv[3], sys.argv[4])
