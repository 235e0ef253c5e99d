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
        entry.msgstr = translations[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
po.save()
missing = [e.msgid for e in po if not e.msgstr and not e.obsolete]
print(f"{len(po) - len(missing)} translated, {len(missing)} missing")
for msgid in missing:
    print("  missing:", repr(msgid))
