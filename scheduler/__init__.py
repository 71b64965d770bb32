"""The daemon (APScheduler jobs and their policies) and the ``newsmon`` command line on top."""
