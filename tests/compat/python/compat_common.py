"""Shared helpers for the Python conformance scenarios (python-http, python-grpc).

Contract: tests/compat/CONTRACT.md. Each step prints
``RESULT <id> <step> PASS|FAIL <ms> <detail>`` on stdout; a failing step never aborts the run.
"""
import os
import random
import sys
import time

GROUP = "COMPAT_GROUP"
LISTEN_BUDGET_S = 2.0  # contract: the listener fires within 2 s of the publish
LISTEN_WAIT_S = 10.0  # keep waiting this long to tell "late" from "never"
REGISTER_WAIT_S = 8.0  # bound on "wait until the listener is registered"


# Auth (tests/compat/run.ts --auth): NACOS_USER / NACOS_PASS are the credentials every client passes to
# the SDK; COMPAT_AUTH=1 adds step A1 (after the server's token TTL, 30 s in that pass, has run out, a
# publish + get still works, i.e. the SDK logged in again).
AUTH_WAIT_S = 36.0  # A1 runs at least this long after the first client logged in


class Env:
    def __init__(self, sdk_id):
        self.id = sdk_id
        self.started = time.monotonic()  # reset by the scenario when its first client is created
        self.addr = os.environ.get("NACOS_ADDR", "127.0.0.1:8848")
        user, password = os.environ.get("NACOS_USER") or None, os.environ.get("NACOS_PASS")
        self.username, self.password = (user, password) if user and password is not None else (None, None)
        self.auth_step = os.environ.get("COMPAT_AUTH") == "1"
        self.run = os.environ.get("COMPAT_RUN") or "%08x" % random.getrandbits(32)
        self.tmp = os.environ.get("COMPAT_TMP") or os.path.join(os.getcwd(), ".tmp")
        os.makedirs(self.tmp, exist_ok=True)
        self.passed = 0
        self.failed = 0

    def wait_token_expiry(self):
        """Sleeps until AUTH_WAIT_S after `started`; returns the seconds since then."""
        left = self.started + AUTH_WAIT_S - time.monotonic()
        if left > 0:
            time.sleep(left)
        return time.monotonic() - self.started

    def name(self, prefix):
        return "%s-%s-%s" % (prefix, self.id, self.run)

    def path(self, *parts):
        p = os.path.join(self.tmp, *parts)
        os.makedirs(p, exist_ok=True)
        return p

    def report(self, step, ok, ms, detail):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        detail = " ".join(str(detail or "-").split())[:400] or "-"
        sys.stdout.write("RESULT %s %s %s %d %s\n" % (self.id, step, "PASS" if ok else "FAIL", int(ms), detail))
        sys.stdout.flush()

    def log(self, msg):
        sys.stderr.write("[%s] %s\n" % (self.id, msg))
        sys.stderr.flush()


class StepFail(Exception):
    """A step's expected outcome was not met (the message is the RESULT detail)."""


def fail(msg):
    raise StepFail(msg)


def describe_exc(e):
    if isinstance(e, StepFail):
        return str(e)
    return "%s: %s" % (type(e).__name__, e)


def now():
    return time.monotonic()


def show(v):
    if v is None:
        return "None"
    return repr(v)


def visible(s):
    if isinstance(s, bytes):
        s = s.decode("utf-8", "replace")
    return str(s).replace("\x01", "<1>").replace("\x02", "<2>")
