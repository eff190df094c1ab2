#!/usr/bin/env bash
# Print a command that runs Python 3.12 or newer, or explain how to get one.
ok() { "$@" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for candidate in ${PYTHON:-} python3.14 python3.13 python3.12 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && ok "$candidate"; then
    command -v "$candidate"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -rV); do
    path="$(pyenv root)/versions/$version/bin/python3"
    if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
  done
fi
cat >&2 <<'MSG'
Tanggap needs Python 3.12 or newer, and none was found.
  Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv   (or a newer python3)
  pyenv:          pyenv install 3.12
  Or point PYTHON at one:  make run PYTHON=/path/to/python3.12
MSG
exit 1
