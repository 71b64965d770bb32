"""The messages between newsmon and its warm worker (``crawler.fetch.zygote``).

One ``AF_UNIX``/``SOCK_SEQPACKET`` socket pair: each message is one JSON object in one packet,
with file descriptors alongside where it carries any::

    newsmon → zygote  {"id", "arguments", "settings", "cwd", "env"}  + the stderr pipe's write end
    zygote → newsmon  {"ready": pid}                  warmed up, takes requests
                      {"error": why}                  cannot serve (then it exits)
                      {"id", "pid"} + a pidfd         the crawl of request ``id`` was forked
                      {"id", "error": why}            ... or could not be
                      {"pid", "exit_code"}            a crawl ended; a negative code is the
                                                      signal that killed it, as Popen says

No Scrapy here: newsmon imports this module, and must not pay for Scrapy's imports.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Sequence
from typing import Any

# a request carries one outlet's settings and newsmon's environment: tens of KB
MAX_MESSAGE_BYTES = 1 << 20
MAX_FDS = 4

Message = dict[str, Any]


class WireError(OSError):
    """A message that does not fit or could not be read whole."""


def socket_pair() -> tuple[socket.socket, socket.socket]:
    """Two connected ends (not inherited by child processes unless passed on purpose)."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def send(channel: socket.socket, message: Message, fds: Sequence[int] = ()) -> None:
    """Send one message; the descriptors are duplicated into the receiver."""
    socket.send_fds(channel, [json.dumps(message).encode("utf-8")], list(fds))


def receive(channel: socket.socket) -> tuple[Message | None, list[int]]:
    """The next message and the descriptors that came with it; ``None`` once the other end
    closed. The caller owns the descriptors."""
    data, fds, flags, _ = socket.recv_fds(channel, MAX_MESSAGE_BYTES, MAX_FDS)
    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
        close_all(fds)
        raise WireError("a message did not fit and was cut short")
    if not data:
        close_all(fds)
        return None, []
    message: Message = json.loads(data)
    return message, fds


def close_all(fds: Sequence[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
