"""`search serve` on waitress, set up for a public server.

Waitress's defaults suit a server behind a proxy on a trusted network: 100 connections, then it
stops accepting; a connection is dropped only after 120 s without a byte. A hundred clients that
send their headers one byte at a time ("slowloris") lock everyone else out. Here

  - the connection limit is 1,000 (bounded by the process's file-descriptor limit, raised to its
    hard limit when allowed), the listen backlog 1,024;
  - an idle connection is closed after 30 s (`channel_timeout`), checked every 2 s;
  - a request whose headers and body have not all arrived within 10 s of its first byte is cut
    off, however steadily it trickles (waitress only knows idleness);
  - headers are capped at 32 KB (431) and bodies at 1 MB (413): the app only takes GETs;
  - waitress's own error responses (400, 413, 431, …) carry the same security headers as the
    app's pages.

Behind a reverse proxy, `trusted_proxy` makes waitress take the client's address and scheme from
the proxy's X-Forwarded-* headers (and drop them from anyone else); see README "Running in public".
"""

from __future__ import annotations

import logging
import resource
import socket
import time
from dataclasses import dataclass

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

log = logging.getLogger(__name__)


@dataclass
class ServerLimits:
    connection_limit: int = 1000
    channel_timeout: int = 30  # s without a byte before an idle connection is closed
    request_timeout: float = 10.0  # s from a request's first byte until all of it must have arrived
    cleanup_interval: int = 2  # s between checks of the two timeouts
    backlog: int = 1024
    max_request_header_size: int = 32 * 1024
    max_request_body_size: int = 1024 * 1024


def security_headers() -> list[tuple[str, str]]:
    from web.hooks import SECURITY_HEADERS

    return list(SECURITY_HEADERS.items())


class SecureErrorTask(ErrorTask):
    """Waitress's own error responses (a malformed request, headers too large) with the security
    headers every page of the app carries."""

    def execute(self):
        self.response_headers.extend(security_headers())
        super().execute()


class GuardedChannel(HTTPChannel):
    error_task_class = SecureErrorTask
    partial_since: float | None = None  # when the request being received began arriving

    def received(self, data):
        pending = self.request
        result = super().received(data)
        if self.request is None:
            self.partial_since = None
        elif self.request is not pending or self.partial_since is None:
            self.partial_since = time.monotonic()  # a new request began in this chunk
        return result


class GuardedServer(TcpWSGIServer):
    channel_class = GuardedChannel

    def __init__(self, application, request_timeout: float, **kw):
        self.request_timeout = request_timeout
        super().__init__(application, **kw)

    def maintenance(self, now):
        super().maintenance(now)  # idle connections
        cutoff = time.monotonic() - self.request_timeout
        for channel in list(self.active_channels.values()):
            since = getattr(channel, "partial_since", None)
            if since is not None and since < cutoff and not channel.requests:
                channel.will_close = True  # closed by the loop's next pass


def raise_fd_limit(wanted: int) -> int:
    """Raise the soft descriptor limit toward `wanted` (as far as the hard limit allows); returns
    how many connections fit, keeping 64 descriptors for the index and the rest."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted + 64 if hard == resource.RLIM_INFINITY else min(wanted + 64, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return max(1, min(wanted, soft - 64))


def make_server(app, host: str, port: int, threads: int, limits: ServerLimits | None = None,
                trusted_proxy: str | None = None, sock: socket.socket | None = None) -> GuardedServer:
    """A waitress server for `app`; on `sock` (already bound and listening, as a pre-forked worker
    inherits it: search.prefork) instead of binding host:port itself."""
    limits = limits or ServerLimits()
    connection_limit = raise_fd_limit(limits.connection_limit)
    if connection_limit < limits.connection_limit:
        log.warning("connection limit lowered to %d by the file-descriptor limit (ulimit -n)", connection_limit)
    proxy = {}
    if trusted_proxy:
        proxy = {"trusted_proxy": trusted_proxy, "trusted_proxy_count": 1,
                 "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"},
                 "clear_untrusted_proxy_headers": True}
    where = {"host": host, "port": port}
    if sock is not None:
        where = {"sockets": [sock], "_sock": sock, "bind_socket": False,
                 "sockinfo": (sock.family, sock.type, sock.proto, sock.getsockname())}
    return GuardedServer(app, request_timeout=limits.request_timeout, **where, threads=threads,
                         ident="search", connection_limit=connection_limit,
                         channel_timeout=limits.channel_timeout, cleanup_interval=limits.cleanup_interval,
                         backlog=limits.backlog, max_request_header_size=limits.max_request_header_size,
                         max_request_body_size=limits.max_request_body_size, **proxy)
