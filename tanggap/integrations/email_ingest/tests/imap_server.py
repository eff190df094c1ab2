"""A small IMAP4rev1 server on 127.0.0.1 for the poller's tests, speaking what imaplib needs.

LOGIN, SELECT, UID SEARCH, UID FETCH (RFC822.SIZE, BODY.PEEK[], BODY[], FLAGS), UID STORE,
NOOP, CAPABILITY and LOGOUT; every command is logged so tests can check the conversation.
"""

import re
import socketserver
import threading
from dataclasses import dataclass, field

UIDVALIDITY = 3857529045
_TOKEN = re.compile(rb'"((?:[^"\\]|\\.)*)"|(\([^)]*\))|(\S+)')


@dataclass
class StoredMail:
    uid: int
    raw: bytes
    flags: set[str] = field(default_factory=set)


@dataclass
class ServerState:
    username: str
    password: str
    folder: str = "INBOX"
    mails: list[StoredMail] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    next_uid: int = 101

    def deliver(self, raw: bytes, *flags: str) -> StoredMail:
        mail = StoredMail(self.next_uid, raw, set(flags))
        self.next_uid += 1
        self.mails.append(mail)
        return mail

    def by_uid(self, uid: int) -> StoredMail:
        return next(mail for mail in self.mails if mail.uid == uid)


def _tokens(line: bytes) -> list[str]:
    out = []
    for quoted, group, atom in _TOKEN.findall(line):
        if quoted:
            out.append(re.sub(rb"\\(.)", rb"\1", quoted).decode())
        else:
            out.append((group or atom).decode())
    return out


def _uid_set(spec: str, mails: list[StoredMail]) -> list[StoredMail]:
    wanted = set()
    top = max((m.uid for m in mails), default=0)
    for part in spec.split(","):
        low, _sep, high = part.partition(":")
        low_n = top if low == "*" else int(low)
        high_n = low_n if not high else (top if high == "*" else int(high))
        wanted.update(range(min(low_n, high_n), max(low_n, high_n) + 1))
    return [m for m in mails if m.uid in wanted]


class _Handler(socketserver.StreamRequestHandler):
    state: ServerState

    def reply(self, text: str | bytes) -> None:
        self.wfile.write((text.encode() if isinstance(text, str) else text) + b"\r\n")

    def handle(self):
        self.selected = False
        self.reply("* OK [CAPABILITY IMAP4rev1] Tanggap test IMAP ready")
        while line := self.rfile.readline():
            words = _tokens(line.rstrip(b"\r\n"))
            if len(words) < 2:
                self.reply("* BAD no command")
                continue
            tag, command, args = words[0], words[1].upper(), words[2:]
            self.state.log.append(" ".join([command, *args[:1]]) if command == "LOGIN" else
                                  " ".join([command, *args]))  # fmt: skip
            if command == "LOGOUT":
                self.reply("* BYE logging out")
                self.reply(f"{tag} OK LOGOUT completed")
                return
            getattr(self, f"do_{command.lower()}", self.do_unknown)(tag, args)

    def do_unknown(self, tag, args):
        self.reply(f"{tag} BAD unknown command")

    def do_capability(self, tag, args):
        self.reply("* CAPABILITY IMAP4rev1 UIDPLUS")
        self.reply(f"{tag} OK CAPABILITY completed")

    def do_noop(self, tag, args):
        self.reply(f"{tag} OK NOOP completed")

    def do_login(self, tag, args):
        if args == [self.state.username, self.state.password]:
            self.authenticated = True
            self.reply(f"{tag} OK LOGIN completed")
        else:
            self.reply(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")

    def do_select(self, tag, args):
        if not getattr(self, "authenticated", False) or args != [self.state.folder]:
            self.reply(f"{tag} NO no such mailbox")
            return
        self.selected = True
        self.reply(r"* FLAGS (\Answered \Flagged \Deleted \Seen \Draft)")
        self.reply(f"* {len(self.state.mails)} EXISTS")
        self.reply("* 0 RECENT")
        self.reply(f"* OK [UIDVALIDITY {UIDVALIDITY}] UIDs valid")
        self.reply(f"* OK [UIDNEXT {self.state.next_uid}] Predicted next UID")
        self.reply(r"* OK [PERMANENTFLAGS (\Seen \Flagged \Deleted \*)] Limited")
        self.reply(f"{tag} OK [READ-WRITE] SELECT completed")

    def do_uid(self, tag, args):
        if not self.selected or not args:
            self.reply(f"{tag} BAD select a mailbox first")
            return
        sub = args[0].upper()
        handler = {"SEARCH": self.uid_search, "FETCH": self.uid_fetch, "STORE": self.uid_store}
        if sub not in handler:
            self.reply(f"{tag} BAD unknown UID command")
            return
        handler[sub](args[1:])
        self.reply(f"{tag} OK UID {sub} completed")

    def uid_search(self, criteria):
        tests = {
            "ALL": lambda m: True,
            "UNSEEN": lambda m: r"\Seen" not in m.flags,
            "SEEN": lambda m: r"\Seen" in m.flags,
            "UNDELETED": lambda m: r"\Deleted" not in m.flags,
            "FLAGGED": lambda m: r"\Flagged" in m.flags,
        }
        found = [m.uid for m in self.state.mails if all(tests[c.upper()](m) for c in criteria)]
        self.reply("* SEARCH" + "".join(f" {uid}" for uid in found))

    def _sequence(self, mail: StoredMail) -> int:
        return self.state.mails.index(mail) + 1

    def uid_fetch(self, args):
        spec, items = args[0], " ".join(args[1:]).strip("()").upper().split()
        for mail in _uid_set(spec, self.state.mails):
            head = f"* {self._sequence(mail)} FETCH (UID {mail.uid}"
            if "RFC822.SIZE" in items:
                head += f" RFC822.SIZE {len(mail.raw)}"
            if "FLAGS" in items:
                head += " FLAGS (" + " ".join(sorted(mail.flags)) + ")"
            if "BODY.PEEK[]" in items or "BODY[]" in items:
                if "BODY[]" in items:
                    mail.flags.add(r"\Seen")
                self.wfile.write(f"{head} BODY[] {{{len(mail.raw)}}}\r\n".encode())
                self.wfile.write(mail.raw)
                self.reply(")")
            else:
                self.reply(head + ")")

    def uid_store(self, args):
        spec, action = args[0], args[1].upper()
        flags = set(args[2].strip("()").split()) if len(args) > 2 else set()
        for mail in _uid_set(spec, self.state.mails):
            if action.startswith("+FLAGS"):
                mail.flags |= flags
            elif action.startswith("-FLAGS"):
                mail.flags -= flags
            else:
                mail.flags = set(flags)
            shown = " ".join(sorted(mail.flags))
            self.reply(f"* {self._sequence(mail)} FETCH (UID {mail.uid} FLAGS ({shown}))")


class ImapTestServer:
    """Run the server in a thread on a free port of 127.0.0.1; stop it with close()."""

    def __init__(self, *, username: str, password: str, folder: str = "INBOX"):
        self.state = ServerState(username=username, password=password, folder=folder)
        handler = type("Handler", (_Handler,), {"state": self.state})
        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
