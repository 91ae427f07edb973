"""`python -m reciprocity_nlp` is the `reciprocity` command."""

import sys

from reciprocity_nlp.cli import main

sys.exit(main())
