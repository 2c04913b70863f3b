"""Standing items for every meeting not yet held (scheduled or in progress), in
order: apologies, declarations of interest, minutes of the previous meeting, matters
arising and the action log, then the business, any other business last.

Items already on such an agenda that are standing items in all but name are adopted
(the item put on at circulation to confirm the previous minutes; an "Apologies",
"Declarations", "Matters arising" or "Any other business" item) rather than listed
twice. Held meetings (closed, inquorate, cancelled) keep the agenda they had: the
record is not rewritten.

The kinds and titles are written out here, as they were when this ran, rather than
imported from meetings/agenda_order.py.
"""

from django.db import migrations

STANDING = (
    ("apologies", "Apologies for absence", ("apologies",)),
    ("declarations", "Declarations of interest", ("declarations",)),
    ("previous_minutes", "Minutes of the previous meeting", ("minutes of the",)),
    (
        "matters_arising",
        "Matters arising and the action log",
        ("matters arising", "action log"),
    ),
    ("aob", "Any other business", ("any other business", "aob")),
)
RANK = {
    "apologies": 0,
    "declarations": 1,
    "previous_minutes": 2,
    "matters_arising": 3,
    "": 4,
    "aob": 5,
}
NOT_HELD = ("scheduled", "in_progress")


def add_standing_items(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    MinutesVersion = apps.get_model("meetings", "MinutesVersion")
    confirming = set(
        MinutesVersion.objects.exclude(confirmation_item=None).values_list(
            "confirmation_item_id", flat=True
        )
    )
    for meeting in Meeting.objects.filter(status__in=NOT_HELD).order_by("pk"):
        items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order", "id"))
        have = {i.standing for i in items if i.standing}
        for item in items:
            if item.standing or item.referred_from_id or hasattr(item, "motion"):
                continue
            title = item.title.strip().lower()
            for kind, _, starts in STANDING:
                adopt = item.pk in confirming if kind == "previous_minutes" else False
                if kind not in have and (adopt or title.startswith(starts)):
                    item.standing = kind
                    have.add(kind)
                    item.save(update_fields=["standing"])
                    break
        for kind, title, _ in STANDING:
            if kind not in have:
                items.append(
                    AgendaItem.objects.create(
                        meeting=meeting,
                        order=0,
                        title=title,
                        standing=kind,
                        kind="information",
                        business_type="routine",
                    )
                )
        items.sort(key=lambda i: (RANK.get(i.standing, 4), i.order, i.pk))
        for order, item in enumerate(items):
            if item.order != order:
                item.order = order
                item.save(update_fields=["order"])


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_agenda_standing_items_and_signed_minutes"),
    ]

    operations = [
        migrations.RunPython(add_standing_items, migrations.RunPython.noop),
    ]
