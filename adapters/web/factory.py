"""The Flask application factory: services from the one composition root in,
blueprints per audience out."""

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

import adapters.web.casework_data  # noqa: F401 - adds the paper data forms and portal links to the casework blueprint
import adapters.web.fund_api  # noqa: F401 - adds funds to the API blueprint
import adapters.web.insight_api  # noqa: F401 - adds the insight request routes to the API blueprint
import adapters.web.organisation_funds  # noqa: F401 - adds funds to the organisation portal
import adapters.web.pack_api  # noqa: F401 - adds the application pack to the API blueprint
import adapters.web.portal_benchmarks  # noqa: F401 - adds benchmarked reports to the members' portal
import adapters.web.portal_consents  # noqa: F401 - adds consents and reads to the members' portal
import adapters.web.portal_data  # noqa: F401 - adds the data forms to the members' portal
import adapters.web.portal_dividends  # noqa: F401 - adds a member's dividends (and giving one) to the members' portal
import adapters.web.portal_funds  # noqa: F401 - adds the funds a member was told of to the members' portal
import adapters.web.portal_records  # noqa: F401 - adds a list's records, one by one, to the members' portal
import adapters.web.portal_surveys  # noqa: F401 - adds a business's surveys of its staff to the members' portal
import adapters.web.trustee_funds  # noqa: F401 - adds funds to the trustees' pages
from adapters.bootstrap import Services, bootstrap
from adapters.bot.sms import webhook as sms_webhook
from adapters.bot.whatsapp import webhook as whatsapp_webhook
from adapters.outbox import sms_status
from adapters.web import (
    api,
    audit,
    auth,
    casework,
    digests,
    errors,
    help_requests,
    insight,
    organisation_portal,
    panel_answers,
    portal,
    proposals,
    staff,
    surplus,
    survey_answers,
    survey_review,
    trustees,
)
from adapters.web.pages import register_filters

SESSION_LIFETIME = timedelta(hours=8)


def create_app(services: Services | None = None, config: dict | None = None) -> Flask:
    services = services or bootstrap()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=services.trust.vault.derived_key("web sessions"),
        SESSION_COOKIE_NAME="datatrust_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=services.settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the (expiring) session
        WTF_CSRF_SSL_STRICT=services.settings.secure_cookies,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    app.config.update(config or {})
    app.extensions["datatrust"] = services
    if services.settings.trusted_proxies:  # else X-Forwarded-For is anyone's to write, and ignored
        # The client's address only (x_for): the count of sign-in guesses is kept per client.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=services.settings.trusted_proxies)  # type: ignore[method-assign]
    csrf = CSRFProtect(app)
    for module in (auth, casework, trustees, staff, audit, insight, organisation_portal, panel_answers, proposals):
        app.register_blueprint(module.blueprint)
    app.register_blueprint(surplus.blueprint)  # the co-op's surplus (trustees)
    app.register_blueprint(help_requests.blueprint)
    app.register_blueprint(portal.blueprint)  # the members' own portal
    app.register_blueprint(digests.blueprint)
    app.register_blueprint(survey_answers.blueprint)  # a business's staff, with a one-time code: no sign-in
    app.register_blueprint(survey_review.blueprint)
    app.register_blueprint(api.blueprint)
    csrf.exempt(api.blueprint)  # the API takes a bearer token, never a cookie
    if services.settings.twilio_auth_token:  # SMS, when the trust has a Twilio number
        app.register_blueprint(sms_webhook.blueprint)
        csrf.exempt(sms_webhook.blueprint)  # signed by Twilio, never a browser's form
        app.register_blueprint(sms_status.blueprint)  # the announcements' delivery statuses
        csrf.exempt(sms_status.blueprint)
    if services.settings.whatsapp_on:  # WhatsApp, when the trust has a Meta app and a business number
        app.register_blueprint(whatsapp_webhook.blueprint)
        csrf.exempt(whatsapp_webhook.blueprint)  # signed by Meta, never a browser's form
    errors.register(app)
    register_filters(app)
    return app
