"""A warm LibreOffice for pipeline/documents/warm.py: run by the system Python that has ``uno``, never imported.

Starts LibreOffice (a child, so it shares this process group) listening for UNO on a named pipe (a
socket only its owner may connect to), connects unoserver's converter to it, and answers XML-RPC
``convert(source, target)`` on a unix socket in the process's private profile folder, with the export
filter the pipeline passes on its command line (the document opened hidden: ``export``). No other account can reach either. Kills its whole
process group as soon as LibreOffice exits (the pipeline sees a crash as a refused connection and starts
a new one) or the pipeline process that started it is gone (killed, it cannot close it).

Usage: python3 uno_server.py SOFFICE PROFILE_URI PIPE_NAME RPC_SOCKET FILTER FILTER_OPTION...
"""

# The system Python may be older than the pipeline's: annotations stay unevaluated.
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.server
from collections.abc import Sequence
from typing import Any

CONNECT_SECONDS = 60  # how long LibreOffice may take to start listening
PARENT_POLL_SECONDS = 0.5
CONNECT_POLL_SECONDS = 0.02  # how often a starting LibreOffice is tried


def start_office(binary: str, profile_uri: str, pipe: str) -> subprocess.Popen[bytes]:
    """LibreOffice listening for UNO on the named pipe ``pipe``, with its own profile."""
    accept = f"pipe,name={pipe};urp;StarOffice.ComponentContext"
    return subprocess.Popen(
        [
            binary,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile_uri}",
            f"--accept={accept}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def pipe_converter(pipe: str) -> Any:
    """unoserver's converter, connected over the named pipe instead of its TCP socket (unoserver 3's
    UnoConverter.__init__ with the pipe's URL)."""
    import uno
    from unoserver.converter import UnoConverter

    converter = UnoConverter.__new__(UnoConverter)
    converter.local_context = uno.getComponentContext()
    converter.resolver = converter.local_context.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", converter.local_context
    )
    converter.context = converter.resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    converter.service = converter.context.ServiceManager
    for name, service in (
        ("desktop", "frame.Desktop"),
        ("filter_service", "document.FilterFactory"),
        ("type_service", "document.TypeDetection"),
    ):
        setattr(
            converter, name, converter.service.createInstanceWithContext(f"com.sun.star.{service}", converter.context)
        )
    converter.temp_dir, converter._export_filters, converter._import_filters = None, None, None
    return converter


def export(desktop: Any, source: str, target: str, filter_name: str, filter_options: Sequence[str]) -> None:
    """``source`` opened read-only and hidden (no view is made for it: about a quarter less time than
    unoserver's ``convert``, which opens it visible) and stored as ``target`` through the export
    filter, each ``NAME=VALUE`` option in its FilterData as unoserver passes it; indexes not
    refreshed, as ``soffice --convert-to`` leaves them."""
    import uno

    document = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(os.path.abspath(source)),
        "_default",
        0,
        (_property(uno, "ReadOnly", True), _property(uno, "Hidden", True)),
    )
    if document is None:
        raise RuntimeError(f"LibreOffice cannot open {source}")
    try:
        data = tuple(_property(uno, name, _option(value)) for name, value in (o.split("=", 1) for o in filter_options))
        document.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (
                _property(uno, "FilterName", filter_name),
                _property(uno, "Overwrite", True),
                _property(uno, "FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)),
            ),
        )
    finally:
        document.close(True)


def _property(uno: Any, name: str, value: Any) -> Any:
    """A com.sun.star.beans.PropertyValue."""
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name, prop.Value = name, value
    return prop


def _option(value: str) -> bool | int | str:
    """A filter option's value as unoserver passes it: true/false a boolean, digits a number."""
    if value in ("true", "false"):
        return value == "true"
    return int(value) if value.isdecimal() else value


class UnixHandler(xmlrpc.server.SimpleXMLRPCRequestHandler):
    disable_nagle_algorithm = False  # a TCP option; this is a unix socket

    def address_string(self) -> str:
        return "unix"


class UnixXMLRPCServer(xmlrpc.server.SimpleXMLRPCServer):
    """XML-RPC on a unix socket (its folder is private to this account)."""

    address_family = socket.AF_UNIX

    def __init__(self, path: str) -> None:
        super().__init__(path, requestHandler=UnixHandler, logRequests=False, allow_none=True)  # type: ignore[arg-type]  # a unix socket path


def connect(office: subprocess.Popen[bytes], pipe: str) -> Any:
    """unoserver's converter connected to the office, retried until it listens."""
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return pipe_converter(pipe)
        except Exception:  # uno raises its own NoConnectException while the office starts
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(CONNECT_POLL_SECONDS)


def watch(office: subprocess.Popen[bytes]) -> None:
    """Leave with LibreOffice: a crashed office must not leave a server answering."""
    office.wait()
    os.killpg(0, signal.SIGKILL)


def orphaned(parent: int) -> None:
    """Leave, LibreOffice with us, when the pipeline process that started us is gone."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os.killpg(0, signal.SIGKILL)


def main(binary: str, profile_uri: str, pipe: str, rpc_socket: str, filter_name: str, *filter_options: str) -> None:
    threading.Thread(target=orphaned, args=(os.getppid(),), daemon=True).start()
    office = start_office(binary, profile_uri, pipe)
    converter = connect(office, pipe)
    threading.Thread(target=watch, args=(office,), daemon=True).start()
    server = UnixXMLRPCServer(rpc_socket)

    def convert(source: str, target: str) -> bool:
        export(converter.desktop, source, target, filter_name, filter_options)
        return True

    server.register_function(convert, "convert")  # type: ignore[arg-type]  # XML-RPC hands in the strings
    server.register_function(lambda: office.pid, "office_pid")
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
