"""The OAuth providers a project can offer for sign-in: where each one's endpoints are, which scopes it needs and
whether its e-mail can be trusted to link an existing account.

Both stacks render their OAuth client from this catalogue, so the endpoints, scopes and settings stay the same.
Every URL is a setting with the provider's real endpoint as its default: the generated tests point them at a local
stand-in, and owners at GitHub Enterprise or a self-hosted tenant.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class OAuthProvider(StrEnum):
    GOOGLE = "google"
    GITHUB = "github"
    MICROSOFT = "microsoft"
    AUTH0 = "auth0"


class OAuthProviderDesign(BaseModel):
    """One provider as both stacks render it."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str
    env: str  # settings prefix: GOOGLE_CLIENT_ID, GOOGLE_TOKEN_URL...
    authorize_url: str  # Microsoft's hold {tenant}, Auth0's {domain}: formatted with the extra settings
    token_url: str
    userinfo_url: str
    emails_url: str | None  # GitHub lists e-mails (with their verified flag) on a route of its own
    scopes: tuple[str, ...]
    identity: str  # "oidc": userinfo has sub, email, email_verified, name; "github": user + user/emails
    # Whether the provider's word that an e-mail is verified may link the sign-in to an existing account.
    # Microsoft's e-mail claim is whatever the tenant typed (the "nOAuth" account takeover): never trusted.
    verified_email_claim: bool
    extra_settings: tuple[tuple[str, str, str], ...] = ()  # (name, default, help)
    console_url: str  # where the owner registers the app

    @property
    def placeholders(self) -> tuple[tuple[str, str], ...]:
        """(key, setting) of each ``{key}`` in the URLs and the setting that fills it: ("tenant", "MICROSOFT_TENANT")."""
        return tuple((name.removeprefix(f"{self.env}_").lower(), name) for name, _, _ in self.extra_settings)

    def settings(self) -> tuple[tuple[str, str, str], ...]:
        """(name, example, help) of every setting this provider reads, in the order docs list them."""
        return (
            (f"{self.env}_CLIENT_ID", "", f"{self.title} OAuth client id (empty: {self.title} sign-in answers 503)"),
            (f"{self.env}_CLIENT_SECRET", "", f"{self.title} OAuth client secret"),
            *self.extra_settings,
            (f"{self.env}_AUTHORIZE_URL", self.authorize_url, f"{self.title} authorization endpoint"),
            (f"{self.env}_TOKEN_URL", self.token_url, f"{self.title} token endpoint"),
            (f"{self.env}_USERINFO_URL", self.userinfo_url, f"{self.title} user endpoint"),
            *((("GITHUB_EMAILS_URL", self.emails_url, "GitHub's list of the user's e-mails"),) if self.emails_url else ()),
        )


OIDC_SCOPES = ("openid", "email", "profile")

CATALOGUE: dict[OAuthProvider, OAuthProviderDesign] = {
    OAuthProvider.GOOGLE: OAuthProviderDesign(
        name="google", title="Google", env="GOOGLE",
        authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
        token_url="https://oauth2.googleapis.com/token",
        userinfo_url="https://openidconnect.googleapis.com/v1/userinfo",
        emails_url=None, scopes=OIDC_SCOPES, identity="oidc", verified_email_claim=True,
        console_url="https://console.cloud.google.com/apis/credentials",
    ),
    OAuthProvider.GITHUB: OAuthProviderDesign(
        name="github", title="GitHub", env="GITHUB",
        authorize_url="https://github.com/login/oauth/authorize",
        token_url="https://github.com/login/oauth/access_token",
        userinfo_url="https://api.github.com/user",
        emails_url="https://api.github.com/user/emails", scopes=("read:user", "user:email"), identity="github",
        verified_email_claim=True, console_url="https://github.com/settings/developers",
    ),
    OAuthProvider.MICROSOFT: OAuthProviderDesign(
        name="microsoft", title="Microsoft", env="MICROSOFT",
        authorize_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        token_url="https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        userinfo_url="https://graph.microsoft.com/oidc/userinfo",
        emails_url=None, scopes=OIDC_SCOPES, identity="oidc", verified_email_claim=False,
        extra_settings=(("MICROSOFT_TENANT", "common",
                         "Microsoft Entra tenant: common, organizations, consumers or a tenant id"),),
        console_url="https://entra.microsoft.com (App registrations)",
    ),
    OAuthProvider.AUTH0: OAuthProviderDesign(
        name="auth0", title="Auth0", env="AUTH0",
        authorize_url="https://{domain}/authorize",
        token_url="https://{domain}/oauth/token",
        userinfo_url="https://{domain}/userinfo",
        emails_url=None, scopes=OIDC_SCOPES, identity="oidc", verified_email_claim=True,
        extra_settings=(("AUTH0_DOMAIN", "", "your Auth0 tenant's domain, e.g. example.eu.auth0.com"),),
        console_url="https://manage.auth0.com (Applications)",
    ),
}

# Settings every project with OAuth reads, whichever providers it offers.
OAUTH_ENV_VARS = (
    ("OAUTH_REDIRECT_URL", "http://localhost:3000/oauth/callback",
     "your front end's page that receives ?code= (or ?error=) after an OAuth sign-in and posts the code to /auth/oauth/token"),
)


def public_url_setting(default: str) -> tuple[str, str, str]:
    return ("PUBLIC_URL", default, "this API's external base URL; OAuth callbacks are {PUBLIC_URL}{API_PREFIX}/auth/oauth/<provider>/callback")


def provider_designs(providers: tuple[str, ...]) -> tuple[OAuthProviderDesign, ...]:
    """The chosen providers' designs, in catalogue order."""
    return tuple(design for key, design in CATALOGUE.items() if key.value in providers)
