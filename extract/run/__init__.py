"""The run stage: extracting files and folders (files), the run manifest (manifest), on a
process pool (pool) or a Dask cluster (cluster), in a process made ready for it (runtime)."""
