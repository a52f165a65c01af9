"""Web processes warm up when they start (URL table, templates, catalogues)."""

from django.template import engines

from peacekit.core.warmup import warm_up


def test_warm_up_builds_every_resolver_and_compiles_the_public_templates():
    cached = engines.all()[0].engine.template_loaders[0]
    cached.reset()  # as in a fresh process
    assert "listening/public_page.html" not in cached.get_template_cache
    done = warm_up()
    assert done["resolvers"] > 10 and done["templates"] > 100
    for name in ("listening/public_page.html", "evaluations/rate_form.html", "base.html"):
        assert name in cached.get_template_cache
