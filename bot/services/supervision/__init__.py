"""Figures for supervision (督导): what the school did in a period, without a personal name.

period.py the period (a term, a month, or dates); table.py a section of figures and the small-count
rule; one module per part (reports, cases, acknowledgement, followups, checkins, training,
committee); figures.py puts them together; export.py writes CSV, XLSX and JSON. The console's page
and `xinqiao report term|month` both call figures.compute and render its sections.
Referrals (consent, feedback) come with the students branch: one more module, one more line in figures.py.
"""
