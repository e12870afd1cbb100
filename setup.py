"""Packaging for blma-xblocks.

static/, translations/ and modules/ live at the top level (design card) and are
reached from inside the package through symlinks; package_data globs copy them
into the wheel, so an installed copy needs no source tree.
"""
import os
import runpy
from pathlib import Path

from setuptools import find_packages, setup


def package_data(package, roots):
    """Every file under the given roots of the package, as package_data globs."""
    found = []
    for root in roots:
        base = os.path.join(package, root)
        for dirpath, _dirs, files in os.walk(base, followlinks=True):
            for name in files:
                if name.endswith((".pyc", ".swp")):
                    continue
                found.append(os.path.relpath(os.path.join(dirpath, name), package))
    return found


# The block types come from the package's one registry (it imports nothing, so it runs here).
BLOCKS = runpy.run_path(os.path.join("blma_xblocks", "registry.py"))["entry_points"]()

setup(
    name="blma-xblocks",
    version="0.1.0",
    description="Open edX XBlocks for the ITCILO blended course on bilateral labour migration agreements",
    long_description=Path("README.md").read_text(encoding="utf-8") if os.path.exists("README.md") else "",
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    packages=find_packages(include=["blma_xblocks", "blma_xblocks.*"]),
    package_data={
        "blma_xblocks": package_data("blma_xblocks", ["assets", "translations", "modules", "templates"]),
    },
    include_package_data=False,
    python_requires=">=3.11",
    # Ranges an Open edX release can satisfy; exact pins live in requirements/constraints.txt.
    install_requires=[
        "XBlock>=5.0,<7",
        "Django>=4.2,<6",
        "edx-submissions>=3.7,<5",
        "lxml>=4.9",
        "bleach>=6.0,<7",
        "web-fragments>=2.0",
        "tzdata",
        "PyYAML>=5",  # XBlock reads OLX attributes as YAML (Field.from_string); its errors are caught by name
    ],
    extras_require={
        # The xblock-sdk workbench misses two of its own dependencies.
        "workbench": ["xblock-sdk>=0.12", "openedx-django-pyfs>=3", "lazy>=1.5"],
    },
    entry_points={
        "xblock.v1": BLOCKS,
        "lms.djangoapp": ["blma_xblocks = blma_xblocks.apps:BlmaXBlocksConfig"],
        "cms.djangoapp": ["blma_xblocks = blma_xblocks.apps:BlmaXBlocksConfig"],
        "console_scripts": ["blma = blma_xblocks.cli:main"],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3",
    ],
)
