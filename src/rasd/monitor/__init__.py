"""Rasd as a monitor: watched sources (feeds, sitemaps, pages), a safe fetcher, the polling round,
saved searches and alerts. Library modules only; the commands are in ``rasd.cli.monitor``."""
