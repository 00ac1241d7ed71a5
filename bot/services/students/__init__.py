"""Students of concern and their files: students, guardians, attention, plans, assessments, referrals, contacts."""
