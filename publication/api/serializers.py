"""Output shapes of the public API (no token). Built from the dicts ``api/views.py``
makes from public records only; field names are the contract."""

from rest_framework import serializers

from meetings.models import AgendaItem, Attendance, Meeting, MotionOutcome


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()


class BoardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    purpose = serializers.CharField()
    decision_making = serializers.BooleanField()
    partners = PartnerSerializer(many=True)
    publication_source = serializers.CharField(
        help_text="The document and paragraph (or local practice) that says the "
        "board publishes."
    )
    url = serializers.URLField()
    api_url = serializers.URLField()
    feed_url = serializers.URLField(help_text="Atom 1.0")
    calendar_url = serializers.URLField(help_text="iCalendar")
    decisions_csv_url = serializers.URLField()


class MeetingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    board = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Meeting.Kind.choices)
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    starts_at = serializers.DateTimeField()
    location = serializers.CharField()
    agenda_issued = serializers.BooleanField()
    minutes_published = serializers.BooleanField()
    url = serializers.URLField()
    api_url = serializers.URLField()


class BoardDetailSerializer(BoardSerializer):
    meetings = MeetingSummarySerializer(many=True)


class PaperSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    page_count = serializers.IntegerField(allow_null=True)
    late = serializers.BooleanField()
    url = serializers.URLField()


# "for" is a Python keyword, so the class is made with type().
TallySerializer = type(
    "TallySerializer",
    (serializers.Serializer,),
    {
        name: serializers.IntegerField()
        for name in ("for", "against", "abstain", "not_voted", "electorate")
    },
)


class VoteSerializer(serializers.Serializer):
    seat = serializers.CharField()
    partner = serializers.CharField()
    choice = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    board = serializers.IntegerField()
    meeting = serializers.IntegerField()
    item = serializers.IntegerField()
    title = serializers.CharField()
    motion = serializers.CharField()
    financial_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    outcome = serializers.ChoiceField(choices=MotionOutcome.choices)
    outcome_label = serializers.CharField()
    recommendation = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    decided_at = serializers.DateTimeField(allow_null=True)
    tally = TallySerializer(allow_null=True)
    url = serializers.URLField()
    api_url = serializers.URLField()


class DecisionDetailSerializer(DecisionSerializer):
    commits = serializers.ListField(child=serializers.CharField())
    votes = VoteSerializer(many=True)
    quorate = serializers.BooleanField(allow_null=True)


class ItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField()
    number = serializers.IntegerField()
    exempt = serializers.BooleanField(
        help_text="A confidential item: only ``exempt_label`` is published."
    )
    exempt_label = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    kind = serializers.ChoiceField(choices=AgendaItem.Kind.choices, allow_null=True)
    business_type = serializers.CharField(allow_null=True)
    presenter = serializers.CharField(allow_null=True)
    recommendation = serializers.CharField(
        allow_null=True, help_text="The motion put to the meeting, if any."
    )
    papers = PaperSerializer(many=True)
    decision = serializers.IntegerField(
        allow_null=True, help_text="The decision's id, once taken."
    )
    url = serializers.URLField(allow_null=True)
    api_url = serializers.URLField(allow_null=True)


class AttendanceSerializer(serializers.Serializer):
    seat = serializers.CharField()
    partner = serializers.CharField()
    voting = serializers.BooleanField()
    status = serializers.ChoiceField(choices=Attendance.Status.choices)


class MeetingSerializer(MeetingSummarySerializer):
    board_name = serializers.CharField()
    purpose = serializers.CharField()
    agenda_issued_at = serializers.DateTimeField(allow_null=True)
    items = ItemSerializer(many=True)
    attendance = AttendanceSerializer(many=True)
    minutes_url = serializers.URLField(allow_null=True)


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML: matches in <mark>.")
    board = serializers.CharField()
    date = serializers.DateTimeField()
    outcome = serializers.CharField()
    url = serializers.URLField()


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    engine = serializers.CharField()
    results = SearchResultSerializer(many=True)
