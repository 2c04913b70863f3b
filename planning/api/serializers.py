"""Output of the obligations API (SPEC s.8 style: ids, dates ISO 8601)."""

from rest_framework import serializers


class EvidenceOut(serializers.Serializer):
    kind = serializers.CharField()
    done_on = serializers.DateField()
    description = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class ObligationOut(serializers.Serializer):
    """``[{id, title, source, frequency, due, status, evidence}]`` (issue 18), with
    the owner, the document's words, and the meeting an accepted item is planned
    for."""

    id = serializers.IntegerField(source="obligation.pk")
    title = serializers.CharField(source="obligation.title")
    source = serializers.CharField(source="obligation.source")
    quote = serializers.CharField(source="obligation.quote")
    kind = serializers.CharField(source="obligation.kind")
    frequency = serializers.CharField(source="obligation.frequency")
    local_practice = serializers.ListField(child=serializers.CharField())
    owner = serializers.CharField(source="obligation.owner")
    due = serializers.DateField(source="state.due", allow_null=True)
    status = serializers.ChoiceField(
        choices=["overdue", "due", "up_to_date"], source="state.status"
    )
    gaps = serializers.ListField(child=serializers.CharField(), source="state.gaps")
    last_done = serializers.DateField(source="state.last_done", allow_null=True)
    planned_meeting = serializers.SerializerMethodField()
    evidence = EvidenceOut(many=True)

    def get_planned_meeting(self, row) -> int | None:
        planned = row.planned_for
        return planned.meeting.pk if planned else None


class ProposalOut(serializers.Serializer):
    """A proposal of the forward plan: ``key`` is what accepting it posts."""

    key = serializers.CharField(source="expected.key")
    title = serializers.CharField(source="expected.title")
    source = serializers.CharField(source="expected.source")
    reason = serializers.CharField(source="expected.reason")
    origin = serializers.CharField(source="expected.origin")
    due = serializers.DateField(source="expected.due_on", allow_null=True)
    late = serializers.BooleanField()


class OnAgendaOut(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    title = serializers.CharField()
    note = serializers.CharField()
    confidential = serializers.BooleanField()
    exemption = serializers.CharField(
        help_text="For a confidential item: the paragraph of Schedule 12A to the "
        "Local Government Act 1972 that exempts it; empty otherwise."
    )


class PlannedMeetingOut(serializers.Serializer):
    """A coming meeting (``meeting`` its id) or a proposed date (``meeting`` null:
    schedule it before accepting onto it)."""

    date = serializers.DateField(source="meeting.on")
    meeting = serializers.IntegerField(source="meeting.meeting_id", allow_null=True)
    on_agenda = OnAgendaOut(many=True)
    proposals = ProposalOut(many=True)


class AcceptIn(serializers.Serializer):
    key = serializers.CharField(max_length=120)
    meeting = serializers.IntegerField(required=False, allow_null=True)


class AcceptedOut(serializers.Serializer):
    key = serializers.CharField()
    item = serializers.IntegerField(source="agenda_item_id")
    meeting = serializers.IntegerField(source="agenda_item.meeting_id")
    title = serializers.CharField(source="agenda_item.title")
