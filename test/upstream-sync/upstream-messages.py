"""Upstream workgraph's message store (src/messages.rs), as its wg reads and writes it: a task's messages in
DIR/messages/TASK.jsonl, one serde_json line each ({"id","timestamp","sender","body","priority","status"[,"read_at"]});
send_message takes an exclusive flock(2) on that file, gives the highest id + 1 and appends; read_unread reads the
cursor .cursors/AGENT.TASK, returns what is above it, writes the cursor (temp file, rename) and marks the returned
messages read by rewriting the file (update_message_statuses: temp file, rename, no lock).

  upstream-messages.py send DIR TASK BODY [SENDER [PRIORITY]]   prints the id
  upstream-messages.py list DIR TASK                             prints the messages as JSON
  upstream-messages.py read DIR TASK AGENT                       prints the unread messages as JSON
  upstream-messages.py race DIR TASK PREFIX MAX STOP_FILE        sends PREFIX-0, PREFIX-1, ..., pausing at random, until
                                                                  STOP_FILE exists (then one more) or MAX; prints how many
  upstream-messages.py send-late DIR TASK BODY READY_FILE GO_FILE
                                                                 a send caught part way: opens the file as send_message
                                                                  does, makes READY_FILE, waits for GO_FILE, then takes
                                                                  the flock and appends (as a send blocked on the lock
                                                                  meanwhile would); prints the id
"""
import datetime, fcntl, json, os, random, sys, time

RANKS = {"sent": 0, "delivered": 1, "read": 2, "acknowledged": 3}


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def msg_dir(wg_dir):
    return os.path.join(wg_dir, "messages")


def msg_file(wg_dir, task):
    return os.path.join(msg_dir(wg_dir), task + ".jsonl")


def dumps(message):
    # serde_json::to_string: compact, struct field order, read_at skipped while None.
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def send(wg_dir, task, body, sender="user", priority="normal", ready=None, go=None):
    os.makedirs(msg_dir(wg_dir), exist_ok=True)
    with open(msg_file(wg_dir, task), "a+") as f:
        if ready is not None:
            open(ready, "w").close()
            while not os.path.exists(go):
                time.sleep(0.01)
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        f.seek(0)
        max_id = 0
        for line in f:
            if line.strip():
                try:
                    max_id = max(max_id, json.loads(line)["id"])
                except (ValueError, KeyError):
                    pass
        message = {"id": max_id + 1, "timestamp": now(), "sender": sender, "body": body, "priority": priority, "status": "sent"}
        f.write(dumps(message) + "\n")
        f.flush()
        return max_id + 1


def list_messages(wg_dir, task):
    path = msg_file(wg_dir, task)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        messages = [json.loads(line) for line in f if line.strip()]
    return sorted(messages, key=lambda m: m["id"])


def read_unread(wg_dir, task, agent):
    cursor_path = os.path.join(msg_dir(wg_dir), ".cursors", "%s.%s" % (agent, task))
    cursor = int(open(cursor_path).read().strip()) if os.path.exists(cursor_path) else 0
    unread = [m for m in list_messages(wg_dir, task) if m["id"] > cursor]
    if unread:
        os.makedirs(os.path.dirname(cursor_path), exist_ok=True)
        tmp = cursor_path + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % unread[-1]["id"])
        os.rename(tmp, cursor_path)
        ids = {m["id"] for m in unread}
        messages = list_messages(wg_dir, task)
        for m in messages:
            if m["id"] in ids and RANKS[m["status"]] < RANKS["read"]:
                m.setdefault("read_at", now())
                m["status"] = "read"
        tmp = msg_file(wg_dir, task)[: -len(".jsonl")] + ".tmp"
        with open(tmp, "w") as f:
            for m in messages:
                f.write(dumps(m) + "\n")
        os.rename(tmp, msg_file(wg_dir, task))
    return unread


if __name__ == "__main__":
    command, wg_dir, task = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "send":
        print(send(wg_dir, task, sys.argv[4], *sys.argv[5:7]))
    elif command == "list":
        print(json.dumps(list_messages(wg_dir, task)))
    elif command == "read":
        print(json.dumps(read_unread(wg_dir, task, sys.argv[4])))
    elif command == "send-late":
        print(send(wg_dir, task, sys.argv[4], ready=sys.argv[5], go=sys.argv[6]))
    elif command == "race":
        done = 0
        for i in range(int(sys.argv[5])):
            last = os.path.exists(sys.argv[6])
            send(wg_dir, task, "%s-%d" % (sys.argv[4], i))
            done += 1
            if last:
                break
            time.sleep(random.uniform(0, 0.02))
        print(done)
