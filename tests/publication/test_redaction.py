"""The public minutes (``publication/redaction.py``): only named fields, no item that
was or is confidential, the decision log and actions rebuilt from what is left."""

from publication.redaction import public_minutes

RECORD = {
    "board": "Lighthouse Board",
    "starts_at": "Monday 2 November 2026, 14:00",
    "summary": "Opening remarks.",
    "attendance": {
        "present": [{"seat": "Chair", "partner": "Council", "person": "A", "x": 1}]
    },
    "quorum": ["The meeting was quorate."],
    "items": [
        {
            "id": 1,
            "title": "Open item",
            "confidential": False,
            "narrative": "Open narrative.",
            "actions": [{"description": "Open action"}],
            "motion": {"text": "Open motion", "outcome_label": "Carried", "z": 2},
            "secret_new_field": "should not pass",
        },
        {
            "id": 2,
            "title": "Closed item",
            "confidential": True,
            "narrative": "Closed narrative.",
            "actions": [{"description": "Closed action"}],
            "motion": {"text": "Closed motion"},
        },
        {"id": 3, "title": "Made confidential later", "confidential": False},
    ],
    "decisions": [{"title": "Closed item", "motion": "Closed motion"}],
    "actions": [
        {"description": "Open action"},
        {"description": "Closed action"},
        {"description": "General action"},
    ],
    "new_top_level_field": "Closed item",
}


def _public():
    return public_minutes(
        RECORD,
        confidential_ids={3},
        exempt_labels={2: "Exempt under paragraph 3"},
        default_exempt="Exempt",
    )


def test_confidential_items_are_replaced_by_their_exempt_label():
    items = _public()["items"]
    assert [i["exempt"] for i in items] == [False, True, True]
    assert items[1] == {
        "number": 2,
        "exempt": True,
        "exempt_label": "Exempt under paragraph 3",
    }
    assert items[2]["exempt_label"] == "Exempt"


def test_nothing_of_a_confidential_item_remains_anywhere():
    text = repr(_public())
    for word in ("Closed", "confidential later", "should not pass", "new_top_level"):
        assert word not in text


def test_the_decision_log_and_actions_are_rebuilt_from_what_is_left():
    minutes = _public()
    assert [d["title"] for d in minutes["decisions"]] == ["Open item"]
    assert [a["description"] for a in minutes["actions"]] == [
        "Open action",
        "General action",
    ]
    assert minutes["exempt_items"] == 2
    assert minutes["attendance"]["present"] == [
        {"seat": "Chair", "partner": "Council", "person": "A"}
    ]
    assert "z" not in minutes["items"][0]["motion"]
