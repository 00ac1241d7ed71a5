"""The school and its people: schools, people, the demo seed, class grades, backups of its database."""
