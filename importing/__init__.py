"""The import pipeline: import files parsed (whole or streamed), planned against the ledger
and handed to storage to write in one transaction."""
