"""Stage 5, the only code that writes docs/ and `.generator/`: plan, merge, swap in, remember.

Owns "up to date" for `build` and `check` alike (`Workspace.run`, `Run.commit`), hand-edit
merges, all-or-nothing writes and the no-op record.
"""

from generator.write.workspace import CuratorEdits, Outcome, Run, Workspace

__all__ = ["CuratorEdits", "Outcome", "Run", "Workspace"]
