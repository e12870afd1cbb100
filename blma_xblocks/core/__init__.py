"""Pure course rules: no Django, no XBlock imports (the blocks and the CLI adapt them)."""
