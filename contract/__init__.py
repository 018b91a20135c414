"""The clickstream event contract shared by the producer and the pipeline.

One versioned definition: the producer writes what is described here and the
pipeline reads with exactly these schemas. A breaking change bumps
SCHEMA_VERSION and keeps the reader of the previous version working.
"""

from contract.clickstream import *  # noqa: F401,F403
