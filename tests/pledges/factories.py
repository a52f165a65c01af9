"""Helpers for pledges tests: a verified promise for an organization."""

from peacekit.pledges import services


def verified_promise(organization, actor=None, key=None):
    promise, _created = services.promise_sign_on(
        organization_name=organization.name,
        kind="police",
        state=organization.state or "KY",
        city=organization.city or "Town",
        contact_name="Contact",
        contact_email="contact@example.org",
        submission_key=key or f"key-{organization.pk}",
    )
    return services.promise_verify(actor=actor, promise=promise, organization=organization)
