"""Peace Officer Promise: sign-on, public registry, checklist, toolkit, symbols."""
