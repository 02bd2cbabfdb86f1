"""The Open Contracting Data Standard (OCDS): reading release packages as a stream, checking each
release against the OCDS 1.1 release schema (shipped in ``schema/``, so nothing is fetched from
the network), and compiling an ``ocid``'s releases into one record with the Open Contracting
Partnership's own merger. No rules of the service here: what the notices mean for contracts is
``charter.services.domain.published_notices``."""

from pathlib import Path

# The service's own OCDS extension (social value per contract), published with its open
# contracting data: charter.services.read_models.open_contracting.
SOCIAL_VALUE_EXTENSION_DIR = Path(__file__).resolve().parent / "social_value_extension"
