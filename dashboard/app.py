"""Streamlit dashboard over the indicator table.

    streamlit run dashboard/app.py -- --table out/seeds.parquet [--docs seeds]

The table path also comes from the environment variable INDICATORS_TABLE; the texts
folder(s) for the article viewer from --docs (repeatable) or INDICATORS_DOCS.
The page's state lives in the URL as codes (?city=150400&theme=grid&tab=map...), so a view can be shared.
The page itself is dashboard/page.py (imported once per process, not re-compiled on every rerun).
The extractor for uploads starts loading when the server starts (the st.App below).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Streamlit runs this file as __main__ for each session's run. `streamlit run` finds the st.App
# below and serves this same file with it: its server imports the file as a module (not
# __main__), and the App's lifespan starts loading the extractor when the server starts, before
# any browser connects (dashboard.upload_jobs.server_lifespan). The upload extraction process
# (spawned) may import it as __mp_main__: it starts neither a page nor a server.
if __name__ == "__main__":
    from dashboard.page import main

    main()
elif __name__ != "__mp_main__":
    import streamlit as st

    from dashboard.upload_jobs import server_lifespan

    app = st.App(__file__, lifespan=server_lifespan)
