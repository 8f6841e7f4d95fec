from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job (lib.periodic) last ran. Workers claim a run with a conditional
    UPDATE on this row, so however many workers run the clock, each slot runs once."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_run_at}"
