"""A stream served beside a service's app is part of its OpenAPI document."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields

from crm_shared.api_docs import ProblemResponses, StreamDoc, document_stream


class Filters(Schema):
    kind = fields.String(metadata={"description": "Only events of this kind."})


STREAM = StreamDoc(path="/api/v1/things/stream", summary="Things, live.", description="Each new thing.",
                   event="thing", data_schema="Thing", tag="things", query=Filters)


def _documented(stream: StreamDoc) -> dict:
    spec = APISpec("t", "v1", "3.1.0", plugins=[MarshmallowPlugin(), ProblemResponses()])
    document_stream(spec, stream)
    return spec.to_dict()["paths"][stream.path]["get"]


def test_a_stream_is_a_get_answering_server_sent_events_of_its_data_schema() -> None:
    operation = _documented(STREAM)
    ok = operation["responses"]["200"]
    assert list(ok["content"]) == ["text/event-stream"]
    assert ok["x-event"] == {"name": "thing", "data": {"$ref": "#/components/schemas/Thing"}}
    assert operation["tags"] == ["things"]


def test_its_query_and_last_event_id_are_parameters() -> None:
    parameters = {(p["in"], p["name"]) for p in _documented(STREAM)["parameters"]}
    assert parameters == {("query", "kind"), ("header", "Last-Event-ID")}


def test_it_declares_the_problems_of_any_operation() -> None:
    responses = _documented(STREAM)["responses"]
    assert {"401", "403", "422", "503"} <= set(responses)
