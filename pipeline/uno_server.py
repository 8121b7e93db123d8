"""A warm LibreOffice for pipeline/warm.py: run by the system Python that has ``uno``, never imported.

Starts LibreOffice (a child, so it shares this process group) listening for UNO on 127.0.0.1, connects
unoserver's converter to it, and answers XML-RPC ``convert(source, target)`` on 127.0.0.1 with the
export filter the pipeline passes on its command line. Exits as soon as LibreOffice exits, so the
pipeline sees a crash as a refused connection and starts a new one.

Usage: python3 uno_server.py SOFFICE PROFILE_URI UNO_PORT RPC_PORT FILTER FILTER_OPTION...
"""

import os
import subprocess
import sys
import threading
import time
import xmlrpc.server

CONNECT_SECONDS = 60  # how long LibreOffice may take to start listening


def start_office(binary, profile_uri, uno_port):
    """LibreOffice listening for UNO on 127.0.0.1:uno_port, with its own profile."""
    accept = f"socket,host=127.0.0.1,port={uno_port},tcpNoDelay=1;urp;StarOffice.ComponentContext"
    return subprocess.Popen([binary, "--headless", "--invisible", "--nocrashreport", "--nodefault", "--nologo",
                             "--nofirststartwizard", "--norestore", "--nolockcheck",
                             f"-env:UserInstallation={profile_uri}", f"--accept={accept}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def connect(office, uno_port):
    """unoserver's converter connected to the office, retried until it listens."""
    from unoserver.converter import UnoConverter
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return UnoConverter(interface="127.0.0.1", port=str(uno_port))
        except Exception:  # uno raises its own NoConnectException while the office starts
            if office.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def watch(office):
    """Leave with LibreOffice: a crashed office must not leave a server answering."""
    office.wait()
    os._exit(3)


def main(binary, profile_uri, uno_port, rpc_port, filter_name, *filter_options):
    office = start_office(binary, profile_uri, int(uno_port))
    converter = connect(office, int(uno_port))
    threading.Thread(target=watch, args=(office,), daemon=True).start()
    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", int(rpc_port)), logRequests=False, allow_none=True)

    def convert(source, target):
        converter.convert(inpath=source, outpath=target, filtername=filter_name,
                          filter_options=list(filter_options), update_index=False)
        return True

    server.register_function(convert, "convert")
    server.register_function(lambda: office.pid, "office_pid")
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
