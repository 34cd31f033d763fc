"""Settings of the real worker subprocesses the fault tests start and kill.

Production settings, with the redelivery clock shortened so a test sees it
happen in seconds instead of 15 minutes: Redis hands an unacknowledged
message to another worker ``visibility_timeout`` seconds after it was
delivered, found by a sweep every ``unacked_restore_interval`` seconds
(kombu docs, "Redis transport options"). The rule the real values obey is
tested in ``test_worker_killed.py``. The test gives the timeout in
``FAULTS_VISIBILITY_TIMEOUT`` (seconds).
"""

import os

from cto_office.settings import *  # noqa: F403

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": int(os.environ["FAULTS_VISIBILITY_TIMEOUT"]),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
