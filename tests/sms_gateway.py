"""A real SMS gateway for the tests: Kannel's bearerbox and smsbox with the fake SMSC of kannel-extras.

The app posts to smsbox's ``sendsms`` as it would in production; bearerbox
routes the message to ``fakesmsc``, which prints every message it receives
("Got message 1: <from to ucs-2 %06E…>"). ``received()`` reads them back,
decoding UCS-2 (Arabic, Cyrillic, Ge'ez …) to text.
"""

import re
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import unquote_to_bytes
from urllib.request import urlopen

from mail_server import free_port

FAKESMSC_PLACES = ("/usr/lib/kannel/test/fakesmsc", "/usr/libexec/kannel/test/fakesmsc")
GOT = re.compile(rb"Got message \d+: <(\S+) (\S+) (\S+) (.*?)>\n(?=\d{4}-\d\d-\d\d |\Z)", re.DOTALL)
# A part of a long message: "udh <header> data <payload>"; the header's last three bytes are the reference,
# the number of parts and this part's number (concatenated SMS, 3GPP TS 23.040).
PART = re.compile(rb"(\S+) data (.*)", re.DOTALL)
USERNAME = "brueckenbau"


def binaries() -> dict[str, str] | None:
    """bearerbox, smsbox and fakesmsc, or None if Kannel (kannel, kannel-extras) is not installed."""
    found = {name: shutil.which(name) or shutil.which(name, path="/usr/sbin") for name in ("bearerbox", "smsbox")}
    found["fakesmsc"] = shutil.which("fakesmsc") or next((p for p in FAKESMSC_PLACES if Path(p).exists()), None)
    return found if all(found.values()) else None


@dataclass
class Sms:
    sender: str
    to: str
    text: str


def _bytes(encoded: bytes) -> bytes:
    return unquote_to_bytes(encoded.replace(b"+", b"%20"))


def _decode(kind: bytes, payload: bytes) -> str:
    if kind == b"ucs-2":
        return _bytes(payload).decode("utf-16-be")
    return payload.decode("utf-8", errors="replace")


def _decode_parts(data: bytes) -> str:
    """The joined payload of a long message's parts: fakesmsc does not name their coding, so it is told
    from the bytes: UCS-2 when every high byte belongs to the blocks below U+3000 (Latin, Cyrillic,
    Arabic, Ge'ez …), which a GSM text of letters never does."""
    if len(data) % 2 == 0 and all(high < 0x30 for high in data[0::2]):
        return data.decode("utf-16-be")
    return data.decode("latin-1")


class KannelGateway:
    """bearerbox, fakesmsc and smsbox on free local ports, configured in ``directory``."""

    def __init__(self, directory: Path, programs: dict[str, str]):
        self.directory, self.programs = directory, programs
        self.password = secrets.token_hex(8)
        self.admin_port, self.box_port, self.smsc_port, self.sendsms_port = (free_port() for _ in range(4))
        self.processes: list[subprocess.Popen] = []
        self.output = directory / "fakesmsc.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sendsms_port}/cgi-bin/sendsms"

    def config(self) -> str:
        return f"""group = core
admin-port = {self.admin_port}
admin-interface = 127.0.0.1
admin-password = {self.password}
smsbox-port = {self.box_port}
box-allow-ip = 127.0.0.1
log-level = 1
log-file = "{self.directory / "bearerbox.log"}"

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = {self.smsc_port}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {self.box_port}
sendsms-port = {self.sendsms_port}
sendsms-interface = 127.0.0.1
log-level = 1
log-file = "{self.directory / "smsbox.log"}"

group = sendsms-user
username = {USERNAME}
password = {self.password}
max-messages = 5
concatenation = true
"""

    def _start(self, *command: str, output: Path) -> None:
        with output.open("wb") as sink:
            self.processes.append(subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT))

    def start(self) -> None:
        conf = self.directory / "kannel.conf"
        conf.write_text(self.config())
        self._start(self.programs["bearerbox"], str(conf), output=self.directory / "bearerbox.out")
        self._wait(lambda status: "Status: running" in status)
        fake = (self.programs["fakesmsc"], "-H", "127.0.0.1", "-r", str(self.smsc_port), "-m", "0", "0 0 text -")
        self._start(*fake, output=self.output)
        self._start(self.programs["smsbox"], str(conf), output=self.directory / "smsbox.out")
        self._wait(lambda status: "(online" in status and "smsbox:" in status and "on-line" in status)

    def status(self) -> str:
        try:
            url = f"http://127.0.0.1:{self.admin_port}/status.txt?password={self.password}"
            with urlopen(url, timeout=2) as response:
                return response.read().decode()
        except (URLError, OSError):
            return ""

    def _wait(self, ready, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if ready(self.status()):
                return
            time.sleep(0.2)
        raise RuntimeError(f"Kannel did not come up; see the logs in {self.directory}")

    def received(self) -> list[Sms]:
        """Every message fakesmsc got, long ones joined from their parts, in the order they were complete."""
        found = GOT.findall(self.output.read_bytes()) if self.output.exists() else []
        messages, parts = [], {}
        for sender, to, kind, text in found:
            if kind != b"udh":
                messages.append(Sms(sender.decode(), to.decode(), _decode(kind, text)))
                continue
            header, payload = PART.fullmatch(text).groups()
            reference, total, number = _bytes(header)[-3:]
            pieces = parts.setdefault((sender, to, reference), {})
            pieces[number] = _bytes(payload)
            if len(pieces) == total:
                joined = b"".join(pieces[index] for index in sorted(pieces))
                messages.append(Sms(sender.decode(), to.decode(), _decode_parts(joined)))
                del parts[(sender, to, reference)]
        return messages

    def wait_for(self, count: int, seconds: float = 20) -> list[Sms]:
        """The messages fakesmsc has got, once there are at least ``count`` (or after ``seconds``)."""
        deadline = time.monotonic() + seconds
        while len(messages := self.received()) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        return messages

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
