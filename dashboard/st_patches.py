"""A fix for a Streamlit bug that silently loses files added to st.file_uploader.

The browser asks the server for upload URLs before it shows or sends a file (the uploader's
`fetchFileURLs`, answered by a `file_urls_response` message). When a script run starts,
Streamlit clears the session's outgoing queue, keeping only lifecycle messages
(`ForwardMsgQueue.clear(retain_lifecycle_msgs=True)`); an answer still waiting in that queue is
dropped, the browser's request never resolves, and the file never appears: no chip, no upload,
no error. It happens whenever a file is added just as a full run starts (the run a previous
file, a tab click or a finished upload asks for). Seen in Streamlit 1.67; there is no option
for it, so the queue's clear is wrapped to keep those answers: they belong to no run.
"""
from __future__ import annotations

import logging

log = logging.getLogger("indicators.dashboard")

KEPT_TYPES = frozenset({"file_urls_response"})


def keep_file_url_answers() -> bool:
    """Make ForwardMsgQueue.clear keep file_urls_response messages (idempotent). False, with a
    log line, when this Streamlit has no such queue (then there is nothing to fix or it moved)."""
    try:
        from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    except ImportError:
        log.warning("streamlit.runtime.forward_msg_queue not found: uploads may be lost under reruns")
        return False
    original = ForwardMsgQueue.clear
    if getattr(original, "_keeps_file_url_answers", False):
        return True

    def clear(self, retain_lifecycle_msgs: bool = False, fragment_ids_this_run=None) -> None:
        if not retain_lifecycle_msgs:          # flush(): everything was handed to the browser
            return original(self, retain_lifecycle_msgs, fragment_ids_this_run)
        answers = [m for m in self._queue if m.WhichOneof("type") in KEPT_TYPES]
        original(self, retain_lifecycle_msgs, fragment_ids_this_run)
        kept = {m.SerializeToString() for m in self._queue if m.WhichOneof("type") in KEPT_TYPES}
        self._queue.extend(m for m in answers if m.SerializeToString() not in kept)

    clear._keeps_file_url_answers = True
    ForwardMsgQueue.clear = clear
    return True
