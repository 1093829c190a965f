"""Streamlit dashboard over the indicator table.

    streamlit run dashboard/app.py -- --table out/seeds.parquet [--docs seeds]

The table path also comes from the environment variable INDICATORS_TABLE; the texts
folder(s) for the article viewer from --docs (repeatable) or INDICATORS_DOCS.
The page's state lives in the URL as codes (?city=150400&theme=grid&tab=map...), so a view can be shared.
The page itself is dashboard/page.py (imported once per process, not re-compiled on every rerun).
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Streamlit runs this file as __main__; the upload extraction process (dashboard/upload_jobs.py,
# spawned) imports it as __mp_main__ and must not start a page of its own.
if __name__ == "__main__":
    from dashboard.page import main

    main()
