"""The reference deployment's SMTP server: aiosmtpd on loopback, appending one JSON line per
message it accepts (recipients, subject, Message-ID) to a file, so that a fault run can check
that every email queued was delivered exactly once, across restarts of this process."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from email import message_from_bytes, policy


class Recorder:
    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: ARG002  (aiosmtpd's hook)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        line = {
            "to": envelope.rcpt_tos,
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
        }
        with self.lock, open(self.path, "a") as log:
            log.write(json.dumps(line) + "\n")
        return "250 Message accepted for delivery"


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    controller = Controller(Recorder(args.log), hostname="127.0.0.1", port=args.port)
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
