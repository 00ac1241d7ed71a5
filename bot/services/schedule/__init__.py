"""What happens on a date: training sessions, check-ins, key periods, follow-ups, quiet hours."""
