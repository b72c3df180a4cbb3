"""Validation messages become one flat map of field to messages."""
from crm_shared.problems import flatten_validation_messages


def test_locations_are_dropped_and_nested_fields_are_dotted() -> None:
    messages = {"json": {"emails": {"0": ["Not a valid email address."]}, "bogus": ["Unknown field."]},
                "query": {"limit": ["Must be between 1 and 500."]}}
    assert flatten_validation_messages(messages) == {
        "emails.0": ["Not a valid email address."], "bogus": ["Unknown field."], "limit": ["Must be between 1 and 500."]
    }


def test_schema_level_messages_belong_to_the_body() -> None:
    assert flatten_validation_messages({"json": {"_schema": ["Invalid input type."]}}) == {"_body": ["Invalid input type."]}
