"""The leaked-dataset import pipeline: read a CSV once, keep only keyed hashes of its identifiers.

reader.py (encoding, delimiter, header, streaming) → worker.py (normalise + hash, in worker processes) →
pipeline.py (staging, one all-or-nothing INSERT). services.import_exposures() is the entry point.

Nothing in this package may import Django models at module level: worker.py is imported by spawned
processes that never set Django up.
"""
