"""Run the test OpenID provider: ``python -m tests.oidc_provider.serve PORT REDIRECT_URI``.

Creates its database, a signing key, one confidential client (id and secret from the
environment, PKCE, RS256, consent skipped) and the provider accounts named in
``OIDC_PROVIDER_ACCOUNTS`` ("email:password:last_name;..."), then serves."""

import os
import sys


def main(port: str, redirect_uri: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_PROVIDER_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()

    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for account in filter(None, os.environ["OIDC_PROVIDER_ACCOUNTS"].split(";")):
        email, password, last_name = account.split(":")
        User.objects.create_user(
            username=email, email=email, password=password, last_name=last_name
        )
    Application.objects.create(
        name="Partnership Governance",
        client_id=os.environ["OIDC_CLIENT_ID"],
        client_secret=os.environ["OIDC_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
