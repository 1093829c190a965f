"""dashboard.st_patches: a script run's start keeps the browser's pending upload-URL answers."""
from __future__ import annotations

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from dashboard.st_patches import keep_file_url_answers


def _answer(request_id: str) -> ForwardMsg:
    msg = ForwardMsg()
    msg.file_urls_response.response_id = request_id
    msg.file_urls_response.file_urls.add().file_id = "f-" + request_id
    return msg


def _delta() -> ForwardMsg:
    msg = ForwardMsg()
    msg.metadata.delta_path[:] = [0, 0]
    msg.delta.new_element.markdown.body = "old run"
    return msg


def _queue(*msgs) -> ForwardMsgQueue:
    q = ForwardMsgQueue()
    for m in msgs:
        q.enqueue(m)
    return q


def test_run_start_keeps_file_url_answers_and_drops_old_deltas():
    assert keep_file_url_answers() and keep_file_url_answers()      # idempotent
    q = _queue(_delta(), _answer("r1"), _answer("r2"))
    q.clear(retain_lifecycle_msgs=True)                              # a full run starts
    kept = [m.file_urls_response.response_id for m in q._queue if m.WhichOneof("type") == "file_urls_response"]
    assert kept == ["r1", "r2"]
    assert not [m for m in q._queue if m.WhichOneof("type") == "delta"]


def test_fragment_run_and_flush_unchanged():
    keep_file_url_answers()
    q = _queue(_delta(), _answer("r1"))
    q.clear(retain_lifecycle_msgs=True, fragment_ids_this_run=["frag"])
    assert [m.WhichOneof("type") for m in q._queue] == ["delta", "file_urls_response"]
    assert [m.WhichOneof("type") for m in q.flush()] == ["delta", "file_urls_response"]
    assert q._queue == []
