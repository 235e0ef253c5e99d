"""Fill empty msgstr entries of locale/it from a Python dict file: python scripts/fill_translations.py DICT.py

For developers after `manage.py makemessages -l it -l en`: keeps the .po as the single source of truth while
letting a batch of new strings be translated in one reviewed file. Prints what is still untranslated.
"""

import runpy
import sys

import polib

translations = runpy.run_path(sys.argv[1])["T"]
po = polib.pofile("locale/it/LC_MESSAGES/django.po")
for entry in po:
    if entry.msgid in translations:
        value = translations[entry.msgid]
        if isinstance(value, tuple):  # (singular, plural)
            entry.msgstr_plural = dict(enumerate(value))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
po.save()
missing = [e.msgid for e in po if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)))]
print(f"{len(po) - len(missing)} translated, {len(missing)} missing")
for msgid in missing:
    print("  missing:", repr(msgid))
