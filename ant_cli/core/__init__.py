"""The core: plain types every layer shares, and nothing else.

Owns the exit-status contract, the error types, the parsed command line (`types`), the output plan,
the process's I/O (`environment`), credential redaction and the catalogue of known models and betas.
Imports only the standard library and other `ant_cli.core` modules; every other layer may import it.
"""
