"""Crisis work: reports, cases, the mailbox, paging, escalation and its policies, the duty roster."""
