"""Load and check one clinic's data, together with the shared data, before any page is built.

The shared facts about the treatment live in `data/`; a clinic's own files live in
`clinics/<name>/data/`. A clinic may also replace a shared file by putting one of the same name in
its own folder. Every mistake becomes one StaffError in the shape `file:line: key: problem. fix`.

load: reading and validating the files into ClinicData. references: the checks between files.
messages: pydantic's errors in plain words with a fix (for data files, front matter and config settings).
"""
