"""Peace Officer Promise: sign-on, public registry, checklist, toolkit, documentary, symbols."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peacekit.core.models import US_STATES, Organization, TimeStampedModel

ORI_VALIDATOR = RegexValidator(r"^[A-Z]{2}[A-Z0-9]{7}$", _("An ORI is 9 characters: AA1234567."))


# ----------------------------------------------------------------------------- the promise
class PromiseTemplate(TimeStampedModel):
    """The wording of the Promise; `{agency}` stands for the organization's name.

    Program staff edit it as data (each save is a new version); the newest active one is used.
    """

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("promise text"), help_text=_("Write {agency} where the organization's name goes.")
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def render(self, agency_name: str) -> str:
        return self.body.replace("{agency}", agency_name)


class Promise(TimeStampedModel):
    """An organization's sign-on to the Peace Officer Promise, from the public form.

    Pending until verified (automatically by email domain, or by program staff); verification
    links it to a core Organization and the agency then appears in the public registry.
    """

    class Kind(models.TextChoices):
        POLICE = Organization.Kind.POLICE.value, _("Police department")
        SHERIFF = Organization.Kind.SHERIFF.value, _("Sheriff's office")
        GOVERNMENT = Organization.Kind.GOVERNMENT.value, _("City or county government")
        COMMUNITY = Organization.Kind.COMMUNITY.value, _("Community organization")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not verified")

    class Verification(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", _("Contact email matches the organization's domain")
        MANUAL = "manual", _("Approved by program staff")

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="promises",
        verbose_name=_("organization"),
    )
    organization_name = models.CharField(_("organization name"), max_length=200)
    name_key = models.CharField(max_length=200, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    city = models.CharField(_("city or county"), max_length=120)
    ori_code = models.CharField(_("ORI code"), max_length=9, blank=True, validators=[ORI_VALIDATOR])
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_title = models.CharField(_("contact title"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact email"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    verification = models.CharField(max_length=20, choices=Verification.choices, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promised_on = models.DateField(_("promise date"), null=True, blank=True, db_index=True)
    template = models.ForeignKey(
        PromiseTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promise_text = models.TextField(_("promise text"), blank=True)
    submission_key = models.CharField(max_length=64, unique=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-promised_on", "organization_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "state"],
                condition=~Q(status="rejected"),
                name="pledges_unique_promise_name_state",
            ),
            models.UniqueConstraint(
                fields=["ori_code"],
                condition=~Q(ori_code="") & ~Q(status="rejected"),
                name="pledges_unique_promise_ori",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.state})"

    def get_absolute_url(self) -> str:
        return reverse("pledges:promise_detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return self.organization.name if self.organization_id else self.organization_name


class PromiseEvent(TimeStampedModel):
    """Where and when an organization makes its Promise in public."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National event (May)")
        LOCAL = "local", _("Local live event")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    promise = models.ForeignKey(Promise, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind of event"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def organization(self) -> Organization | None:
        return self.promise.organization


# ----------------------------------------------------------------------------- checklist
class ChecklistStepTemplate(TimeStampedModel):
    """A step of the program's implementation checklist (program staff maintain the list)."""

    title = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Checklist(TimeStampedModel):
    """An organization's own copy of the implementation checklist."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="promise_checklist"
    )

    def __str__(self) -> str:
        return f"Checklist · {self.organization}"


class ChecklistItem(TimeStampedModel):
    """One step in an organization's checklist, with owner, due date and status."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Does not apply")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    template_step = models.ForeignKey(
        ChecklistStepTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def organization(self) -> Organization:
        return self.checklist.organization


def evidence_path(instance: ChecklistEvidence, filename: str) -> str:
    return f"pledges/evidence/{instance.item.checklist.organization_id}/{filename}"


class ChecklistEvidence(TimeStampedModel):
    """A file that shows a checklist step was done (policy, minutes, photos)."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Evidence #{self.pk}"


# ----------------------------------------------------------------------------- toolkit
class ToolkitTemplate(TimeStampedModel):
    """A toolkit document's wording, which program staff edit.

    Placeholders: {agency}, {city}, {state}, {promise}, {event_date}. A line starting with
    "# " is a heading and "- " a bullet; a blank line separates paragraphs.
    """

    class Kind(models.TextChoices):
        PRESS_RELEASE = "press_release", _("Press release")
        SOCIAL_MEDIA_PLAN = "social_media_plan", _("Social media plan")
        PRESENTATION = "presentation", _("Announcement presentation outline")
        PROCLAMATION = "proclamation", _("Proclamation")
        COMMUNITY_LETTER = "community_letter", _("Letter to the community")

    kind = models.CharField(_("document"), max_length=24, choices=Kind.choices, unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


# ----------------------------------------------------------------------------- documentary
class DocumentaryRequest(TimeStampedModel):
    """An agency's request for a 2–5 minute mini-documentary made from its own footage."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        FILMING = "filming", _("Filming (follow the guide)")
        FOOTAGE_RECEIVED = "footage_received", _("Footage received")
        EDITING = "editing", _("Editing")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="documentary_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("working title"), max_length=200)
    length_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=3,
        validators=[MinValueValidator(2), MaxValueValidator(5)],
    )
    contact_email = models.EmailField(_("contact email"))
    notes = models.TextField(_("what the film should show"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    delivery_url = models.URLField(_("delivery link"), blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Documentary request #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("pledges:documentary_detail", args=[self.pk])


class FootageUpload(TimeStampedModel):
    """A large footage file sent in chunks; an interrupted upload resumes at `received_bytes`."""

    class Status(models.TextChoices):
        UPLOADING = "uploading", _("Uploading")
        COMPLETE = "complete", _("Complete")

    request = models.ForeignKey(
        DocumentaryRequest, on_delete=models.CASCADE, related_name="uploads"
    )
    original_name = models.CharField(max_length=200)
    total_bytes = models.PositiveBigIntegerField()
    received_bytes = models.PositiveBigIntegerField(default=0)
    chunk_count = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Footage #{self.pk}"

    @property
    def organization(self) -> Organization:
        return self.request.organization

    @property
    def percent(self) -> float:
        return self.received_bytes / self.total_bytes if self.total_bytes else 1.0


# ----------------------------------------------------------------------------- symbols
class SymbolOrder(TimeStampedModel):
    """An order of Peace Officer decals and emblems, shipped to the agency."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="symbol_orders"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ship_to_name = models.CharField(_("ship to (name)"), max_length=200)
    address_line1 = models.CharField(_("address"), max_length=200)
    address_line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=120)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    postal_code = models.CharField(
        _("ZIP code"),
        max_length=10,
        validators=[RegexValidator(r"^\d{5}(-\d{4})?$", _("Enter a ZIP code like 42101."))],
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Order #{self.pk} · {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("pledges:order_detail", args=[self.pk])


class SymbolOrderLine(models.Model):
    """One item and quantity on a symbol order."""

    class Item(models.TextChoices):
        VEHICLE_DECAL = "vehicle_decal", _("Vehicle decal")
        WINDOW_DECAL = "window_decal", _("Window decal")
        UNIFORM_PATCH = "uniform_patch", _("Uniform patch")
        UNIFORM_PIN = "uniform_pin", _("Uniform pin")
        EQUIPMENT_STICKER = "equipment_sticker", _("Equipment sticker")

    order = models.ForeignKey(SymbolOrder, on_delete=models.CASCADE, related_name="lines")
    item = models.CharField(max_length=24, choices=Item.choices)
    quantity = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "item"], name="pledges_unique_order_item")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.get_item_display()}"


# ----------------------------------------------------------------------------- get involved
class InvolvementRequest(TimeStampedModel):
    """A community member's offer to host an event, ask for mediation or start a group."""

    class Kind(models.TextChoices):
        HOST_EVENT = "host_event", _("Host a Peace Officer Promise event")
        MEDIATION = "mediation", _("Ask for mediation between community and police")
        RELATIONS_GROUP = "relations_group", _("Start a community–police relations group")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("I would like to"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone (optional)"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=2, choices=US_STATES)
    city = models.CharField(_("city"), max_length=120)
    message = models.TextField(_("tell us more (optional)"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.state}"
