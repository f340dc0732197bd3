"""What the python-discovery plugin decides, as plain Python (no component
bindings), so it is unit-tested with `python3 -m unittest`.

A command started from a script shows up in /proc as its interpreter: you
typed `poetry run pytest`, the system reports
`/usr/bin/python3.11 /home/you/.local/bin/poetry run pytest`. Saved like
that, it breaks as soon as the interpreter moves (an upgrade, another venv).
This plugin saves what you typed instead, and a little more:

- `python3 [-flags] /some/bin/TOOL ARGS` -> `TOOL ARGS` for a console script
  (a file in a `bin` or `Scripts` folder without a `.py` suffix);
- `direnv exec DIR CMD...` -> `CMD...` (the direnv hook of the shell loads
  the same environment when the pane comes back in that directory);
- `vim`/`nvim` in a directory holding a `Session.vim` -> `vim -S Session.vim`
  (only with the `cwd` grant: without it the plugin cannot see the file).
"""

import os
import re

INTERPRETER = re.compile(r"^python(\d+(\.\d+)*)?$")
# Interpreter flags that take no value and do not change what runs.
PLAIN_FLAGS = {"-u", "-B", "-E", "-s", "-S", "-O", "-OO", "-q", "-I", "-b", "-bb"}


def basename(path):
    return path.rstrip("/").rsplit("/", 1)[-1]


def console_script(argv):
    """`TOOL ARGS` for `python [flags] /x/bin/TOOL ARGS`, else None."""
    if not argv or not INTERPRETER.match(basename(argv[0])):
        return None
    i = 1
    while i < len(argv) and argv[i] in PLAIN_FLAGS:
        i += 1
    if i >= len(argv):
        return None
    script = argv[i]
    parent = basename(script[: -len(basename(script))]) if "/" in script else ""
    if parent in ("bin", "Scripts") and not script.endswith(".py"):
        return [basename(script)] + argv[i + 1 :]
    return None


def direnv(argv):
    """`CMD...` for `direnv exec DIR CMD...`, else None."""
    if len(argv) >= 4 and basename(argv[0]) == "direnv" and argv[1] == "exec":
        return argv[3:]
    return None


def vim_session(argv, cwd, exists=os.path.exists):
    """`vim -S Session.vim` for a bare vim where a session file waits."""
    if len(argv) == 1 and basename(argv[0]) in ("vim", "nvim") and cwd:
        if exists(cwd.rstrip("/") + "/Session.vim"):
            return [basename(argv[0]), "-S", "Session.vim"]
    return None


def decide(argv, cwd, exists=os.path.exists):
    """The argv to save instead of `argv`, or None to keep it."""
    out = None
    for step in (direnv, console_script):
        found = step(out or argv)
        if found:
            out = found
    found = vim_session(out or argv, cwd, exists)
    return found or out
