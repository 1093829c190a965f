"""The Streamlit dashboard over the indicator table (entry point: dashboard/app.py)."""
