"""`vbtool serve`: a local web editor for vbtool documents, with live pages.

The pieces, one job each:

* ``paths``    resolves a name sent by the page to a file inside the chosen folder
  (refusing ``..``, absolute paths and symlinks that leave it);
* ``yamlsync`` turns the form's data back into YAML text while keeping the user's
  comments where the structure allows it (ruamel.yaml round trip);
* ``analysis`` validates YAML text with the same code as ``vbtool validate``;
* ``preview``  one background worker that renders the newest edit to PDF pages
  (LibreOffice, one conversion at a time, newest edit wins) and PNG images;
* ``app``      the Starlette application: security checks, JSON API, static page.

Only ``vbtool.commands.serve`` knows about click; nothing here does.
"""
