"""What the HTTP API itself has to remember between requests."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiIdempotencyKey(models.Model):
    """An `Idempotency-Key` a client sent with a create call, and the case it produced.

    A retry with the same key from the same user gets that case back instead of a second one
    (ARCHITECTURE §6.4: an API submission carries an idempotency key). `request_hash` lets a
    key reused for a different request be refused rather than silently answered.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    response_reference = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Two concurrent retries race on this index; the loser replays the winner's result.
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotencykey_user_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.response_reference}"
