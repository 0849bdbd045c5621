"""Local infrastructure without Docker: Apache Kafka (KRaft) and FerretDB v1 as child processes.

Downloads and builds are cached under ``~/.cache/vanthu`` (or ``$VANTHU_CACHE``); data directories are
chosen by the caller: persistent for ``make up``, throwaway for tests.
"""
