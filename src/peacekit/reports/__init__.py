"""Reports: rendering (HTML/PDF/CSV), charts, report runs."""
