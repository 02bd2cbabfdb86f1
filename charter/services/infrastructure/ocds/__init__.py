"""The Open Contracting Data Standard (OCDS): reading release packages as a stream, checking each
release against the OCDS 1.1 release schema (shipped in ``schema/``, so nothing is fetched from
the network), and compiling an ``ocid``'s releases into one record with the Open Contracting
Partnership's own merger. No rules of the service here: what the notices mean for contracts is
``charter.services.domain.published_notices``."""
