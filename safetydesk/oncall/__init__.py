"""Who answers an emergency now: the on-call rota, paging by email and webhook, escalation."""
