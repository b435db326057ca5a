"""A local Amazon SNS emulator for SES notifications, on a real HTTPS port.

It makes an RSA signing key with its certificate (as SNS's `SigningCertURL` serves one) and
a CA with a TLS certificate for 127.0.0.1 (tests trust that CA through
PIVOTAL_SNS_CA_FILE). It serves the signing certificate and the SubscribeURL, counting
each request, and signs messages the way SNS does: the canonical "Key\\nValue\\n" string of
the message's fields, RSA PKCS#1 v1.5 with SHA1 (SignatureVersion 1) or SHA256 (2).
"""

import base64
import contextlib
import datetime as dt
import ipaddress
import json
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.support.server import serve

TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events"
_SIGNED = {
    "Notification": ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"),
    "SubscriptionConfirmation": (
        "Message",
        "MessageId",
        "SubscribeURL",
        "Timestamp",
        "Token",
        "TopicArn",
        "Type",
    ),
}


def certificate(
    name: str, key: rsa.RSAPrivateKey, *, issuer: tuple[str, rsa.RSAPrivateKey] | None = None
) -> x509.Certificate:
    """A certificate for `name`, self-signed or signed by `issuer` (name, key)."""
    issuer_name, issuer_key = issuer or (name, key)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
    )
    if issuer is None:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    else:
        san = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(name))])
        builder = builder.add_extension(san, False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class SnsEmulator:
    host: str  # host:port of the HTTPS server
    ca_file: str
    signing_key: rsa.RSAPrivateKey
    requests: Counter[str] = field(default_factory=Counter)  # path → how many GETs

    @property
    def cert_url(self) -> str:
        return f"https://{self.host}/SimpleNotificationService-test.pem"

    def envelope(
        self,
        kind: str,
        message: str,
        *,
        version: str = "2",
        topic: str = TOPIC,
        timestamp: dt.datetime | None = None,
        key: rsa.RSAPrivateKey | None = None,
        cert_url: str | None = None,
        subscribe_url: str | None = None,
    ) -> dict[str, Any]:
        """An SNS POST body of type `kind`, signed as SNS signs it."""
        at = timestamp or dt.datetime.now(dt.UTC)
        envelope: dict[str, Any] = {
            "Type": kind,
            "MessageId": str(uuid.uuid4()),
            "TopicArn": topic,
            "Message": message,
            "Timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "SignatureVersion": version,
            "SigningCertURL": cert_url or self.cert_url,
        }
        if kind == "SubscriptionConfirmation":
            token = uuid.uuid4().hex
            envelope["Token"] = token
            envelope["SubscribeURL"] = subscribe_url or f"https://{self.host}/confirm?Token={token}"
        signed = "".join(
            f"{name}\n{envelope[name]}\n" for name in _SIGNED[kind] if name in envelope
        )
        algorithm = hashes.SHA1() if version == "1" else hashes.SHA256()
        signature = (key or self.signing_key).sign(signed.encode(), padding.PKCS1v15(), algorithm)
        envelope["Signature"] = base64.b64encode(signature).decode()
        return envelope

    def notification(self, ses: dict[str, Any], **options: Any) -> dict[str, Any]:
        return self.envelope("Notification", json.dumps(ses), **options)


@contextlib.asynccontextmanager
async def sns_emulator(folder: Path) -> AsyncIterator[SnsEmulator]:
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = certificate("Test CA", ca_key)
    tls_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tls = certificate("127.0.0.1", tls_key, issuer=("Test CA", ca_key))
    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    signing_pem = _pem(certificate("sns.amazonaws.com", signing_key))
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "tls.pem").write_bytes(_pem(tls))
    (folder / "tls.key").write_bytes(
        tls_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    requests: Counter[str] = Counter()

    async def cert(request: Request) -> Response:
        requests[request.url.path] += 1
        return Response(signing_pem, media_type="application/x-pem-file")

    async def confirm(request: Request) -> Response:
        requests[request.url.path] += 1
        requests[f"token:{request.query_params.get('Token')}"] += 1
        return PlainTextResponse("<ConfirmSubscriptionResponse/>")

    app = Starlette(
        routes=[
            Route("/SimpleNotificationService-test.pem", cert),
            Route("/confirm", confirm),
        ]
    )
    async with serve(
        app, ssl_certfile=str(folder / "tls.pem"), ssl_keyfile=str(folder / "tls.key")
    ) as host:
        yield SnsEmulator(host, str(folder / "ca.pem"), signing_key, requests)
