"""Start and stop the test OpenID provider (``serve.py``) for a test session."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "partnership-governance"
CLIENT_SECRET = "test-client-secret-" + "s" * 20  # noqa: S105 - test provider only


@dataclass
class Provider:
    url: str
    process: subprocess.Popen

    def settings(self) -> dict:
        """The product's settings to sign in with this provider."""
        return {
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/o/.well-known/jwks.json",
            "OIDC_OP_ISSUER": f"{self.url}/o",
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(*, redirect_uri: str, accounts: list[tuple[str, str, str]], workdir: Path):
    port = free_port()
    env = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_ACCOUNTS": ";".join(":".join(a) for a in accounts),
    }
    env.pop("DATABASE_URL", None)
    log = open(workdir / "provider.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), redirect_uri],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError((workdir / "provider.log").read_text())
        try:
            if requests.get(f"{url}/o/.well-known/jwks.json", timeout=1).ok:
                return Provider(url, process)
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the test OpenID provider did not start")
