"""The roster import: one CSV or XLSX per kind (classes and dorms, staff, committee members).

reading.py turns a file into numbered rows (encodings, formulas, empty files); one module per kind
(groups.py, staff.py, members.py) plans the rows against the database and applies the plan;
kinds.py is the registry (one line per kind: students is one more module and one more line there);
run.py previews and applies (one transaction, nothing when a row is bad); template.py writes the
templates. Everything returns data (a Preview with its lines) so the console's page is a thin wrapper.
"""
