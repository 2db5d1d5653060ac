"""Writes graph.jsonl the way upstream workgraph's wg does (src/parser.rs `modify_graph`): an exclusive
flock(2) on graph.lock held for the whole load-modify-save, the graph written to .graph.tmp.<pid>,
fsync'd, renamed over graph.jsonl; a changed task gets `last_interaction_at` (bump_interaction_timestamps).

  upstream-writer.py edit DIR '{"set": {"id": {"field": value}}, "add": [line], "remove": ["id"], "log": {"id": "message"}}'
  upstream-writer.py race DIR PREFIX MAX_ROUNDS STOP_FILE
      each round: a new task after the previous one, a log entry on `shared`; until STOP_FILE exists
      (then one last round) or MAX_ROUNDS; prints the number of rounds
  upstream-writer.py race-shared DIR PREFIX MAX_ROUNDS STOP_FILE
      each round, upstream's `wg add --exec true` and `wg edit shared --add-after --add-tag -d` and `wg log`
      in one write: a new task PREFIX-N (exec `true`), PREFIX-N added to shared's `after`, the tag
      PREFIX-tag-N added to its tags, its description set to "PREFIX N", a log entry on it; as `race` otherwise
"""
import datetime, fcntl, json, os, random, sys, time


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def modify(wg_dir, change):
    with open(os.path.join(wg_dir, "graph.lock"), "a+") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            path = os.path.join(wg_dir, "graph.jsonl")
            nodes = {}
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if line and not line.startswith("#"):
                        node = json.loads(line)
                        nodes[node["id"]] = node
            before = json.dumps(nodes, sort_keys=True)
            changed = change(nodes)
            for node_id in changed:
                if node_id in nodes:
                    nodes[node_id]["last_interaction_at"] = now()
            if json.dumps(nodes, sort_keys=True) == before:
                return
            tmp = os.path.join(wg_dir, ".graph.tmp.%d" % os.getpid())
            with open(tmp, "w") as out:
                for node in nodes.values():
                    out.write(json.dumps(node, separators=(",", ":"), ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.rename(tmp, path)
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def edit(wg_dir, spec):
    def change(nodes):
        changed = []
        for node_id, fields in spec.get("set", {}).items():
            for key, value in fields.items():
                if value is None:
                    nodes[node_id].pop(key, None)
                else:
                    nodes[node_id][key] = value
            changed.append(node_id)
        for line in spec.get("add", []):
            nodes[line["id"]] = line
            changed.append(line["id"])
        for node_id in spec.get("remove", []):
            nodes.pop(node_id, None)
        for node_id, message in spec.get("log", {}).items():
            nodes[node_id].setdefault("log", []).append({"timestamp": now(), "actor": "upstream", "message": message})
            changed.append(node_id)
        return changed
    modify(wg_dir, change)


def race(wg_dir, prefix, max_rounds, stop_file, shared_lists=False):
    done = 0
    for i in range(max_rounds):
        last = os.path.exists(stop_file)
        def change_shared(nodes, i=i):
            task_id = "%s-%d" % (prefix, i)
            nodes[task_id] = {"kind": "task", "id": task_id, "title": "%s %d" % (prefix, i), "status": "open",
                              "created_at": now(), "exec": "true"}
            shared = nodes["shared"]
            shared.setdefault("after", []).append(task_id)
            shared.setdefault("tags", []).append("%s-tag-%d" % (prefix, i))
            shared["description"] = "%s %d" % (prefix, i)
            shared.setdefault("log", []).append({"timestamp": now(), "actor": "upstream", "message": "%s round %d" % (prefix, i)})
            return [task_id, "shared"]
        def change(nodes, i=i):
            task_id = "%s-%d" % (prefix, i)
            line = {"kind": "task", "id": task_id, "title": "%s %d" % (prefix, i), "status": "open", "priority": 10,
                    "created_at": now(), "skills": ["python"], "tags": [prefix]}
            if i > 0:
                line["after"] = ["%s-%d" % (prefix, i - 1)]
            nodes[task_id] = line
            nodes["shared"].setdefault("log", []).append({"timestamp": now(), "actor": "upstream", "message": "%s round %d" % (prefix, i)})
            return [task_id, "shared"]
        modify(wg_dir, change_shared if shared_lists else change)
        done += 1
        if last:
            break
        # Still many rounds to each of the app's (a few a second), with fewer tasks for the service to run beside the
        # race: at 0-50 ms it wrote about 600 rounds while the app wrote 32, each one a task the service then ran.
        time.sleep(random.uniform(0.05, 0.25))
    print(done)


if __name__ == "__main__":
    if sys.argv[1] == "edit":
        edit(sys.argv[2], json.loads(sys.argv[3]))
    else:
        race(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[1] == "race-shared")
