"""Vietnamese e-invoices: rules (rules.py, words.py), the tax authority's XML (xml.py, schema/hdon.xsd),
providers behind one interface (providers/), print views (render.py, templates/). Pure modules import
nothing heavy at import time; xmlschema, segno and jinja2 load on first use."""
