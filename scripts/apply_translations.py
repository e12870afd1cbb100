"""Fill a .po from a Python dict file {msgid: msgstr} (used to feed reviewed translations in)."""
import runpy
import sys

sys.path.insert(0, "scripts")
# i18n.py is a sibling script, importable once scripts/ is on the path
from i18n import read, write  # noqa: E402  pylint: disable=wrong-import-position

lang, source = sys.argv[1], sys.argv[2]
table = runpy.run_path(source)["FR"]
catalog = read(lang)
missing = []
for message in catalog:
    if not message.id:
        continue
    key = message.id if isinstance(message.id, str) else tuple(message.id)
    if key in table:
        message.string = table[key]
        message.flags.discard("fuzzy")
    elif not message.string or (isinstance(message.string, tuple) and not all(message.string)):
        missing.append(key)
write(lang, catalog)
print("still untranslated:", missing)
