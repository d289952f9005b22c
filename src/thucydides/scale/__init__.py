"""Corpus scale: the Spark job (`thucydides ingest --engine spark`) and loading its Parquet
records into a store (`thucydides load`). See `spark.py` for the job's shape."""
