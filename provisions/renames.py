"""A record's URL changes, its old URL keeps working: renames leave 301 redirects behind.

When an editor renames a slug (or a jurisdiction code, or moves a provision to another
instrument), every public URL under it changes: a jurisdiction's pages, its instruments' and
their provisions'. Before the save we note those URLs; after it, each old URL that changed gets
a MovedPath to the new one, which MovedPathFallbackMiddleware (provisions/middleware.py)
answers with a 301 when the old URL would otherwise be a 404. Older redirects that pointed at a
URL that just moved are re-pointed, so a reader follows one hop however many renames there
were. Raw saves (loaddata, import_atlas) are restores, not renames, and leave nothing behind.

Only public URLs count, before and after: a draft's address was never public, and a redirect
from it (or to it) would let an editor's unreviewed slug answer on the public site, or send a
live URL to a 404.
"""

from django.db.models.signals import post_save, pre_save

from provisions.models import (
    Argument,
    Instrument,
    Jurisdiction,
    ModelProfile,
    MovedPath,
    Provision,
)
from provisions.withdrawals import is_public


def _public(record) -> bool:
    return not hasattr(record, "state") or is_public(record)  # a jurisdiction is always public


def _urls(obj) -> dict[tuple, str]:
    """The public URL of ``obj`` and of every public record whose URL is built on it."""
    found = {(type(obj), obj.pk): obj.get_absolute_url()} if _public(obj) else {}
    instruments = []
    if isinstance(obj, Jurisdiction):
        instruments = list(obj.instruments.select_related("jurisdiction"))
    elif isinstance(obj, Instrument):
        instruments = [obj]
    for instrument in instruments:
        if not _public(instrument):
            continue
        found[(Instrument, instrument.pk)] = instrument.get_absolute_url()
        for provision in instrument.provisions.select_related("instrument__jurisdiction"):
            if _public(provision):
                found[(Provision, provision.pk)] = provision.get_absolute_url()
    return found


def note_urls_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._urls_before = _urls(before) if before else {}


def redirect_old_urls(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_urls_before", None)
    if raw or created or not before:
        return
    del instance._urls_before
    fresh = sender._base_manager.get(pk=instance.pk)
    after = _urls(fresh)
    for key, old in before.items():
        new = after.get(key)
        if not new or new == old:
            continue
        # A URL that is a page again is no longer a redirect; older hops now go straight here.
        MovedPath.objects.filter(old_path=new).delete()
        MovedPath.objects.filter(new_path=old).update(new_path=new)
        MovedPath.objects.update_or_create(old_path=old, defaults={"new_path": new})


def watch(model) -> None:
    """Leave redirects behind when a record of ``model`` (one with a public URL) is renamed.

    The data's own records are watched below; the public atlas adds its comparisons
    (comparisons/apps.py)."""
    pre_save.connect(note_urls_before, sender=model, dispatch_uid=f"renames-pre-{model.__name__}")
    post_save.connect(
        redirect_old_urls, sender=model, dispatch_uid=f"renames-post-{model.__name__}"
    )


for model in (Jurisdiction, Instrument, Provision, Argument, ModelProfile):
    watch(model)
