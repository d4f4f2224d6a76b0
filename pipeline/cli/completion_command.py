"""``mdpaper completion bash|zsh|fish``: print a completion script for the shell.

The script is written from the argument parser itself, so it always offers the commands,
options and choices this mdpaper has (no second list to keep in step). argparse has no
public way to list a parser's actions; ``_actions`` and the subparsers' ``choices`` are
the attributes every completion tool for argparse reads.
"""

from __future__ import annotations

import argparse
import shlex
from dataclasses import dataclass, field

from mdpaper.cli.arguments import make_parser


@dataclass
class Option:
    names: list[str]
    help: str
    #: takes a value; ``choices`` are its values when argparse knows them
    value: bool
    choices: list[str] = field(default_factory=list)
    #: the value is a folder (``-o``, ``--into``)
    folder: bool = False
    #: the value is a number (``-j``, ``--timeout``): nothing to offer
    number: bool = False


@dataclass
class Command:
    name: str
    help: str
    options: list[Option]
    #: words a positional argument may be (``hugo install``, ``completion bash``)
    words: list[str]
    #: its positionals are Markdown posts (or folders of them)
    posts: bool


def commands(parser: argparse.ArgumentParser) -> list[Command]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    found = []
    for name, command in sub.choices.items():
        options: list[Option] = []
        words: list[str] = []
        posts = False
        # ``hugo install``: a command's own actions, and those of its sub-actions
        nested = [command, *(parser for action in command._actions
                             if isinstance(action, argparse._SubParsersAction)
                             for parser in action.choices.values())]
        for action in (a for p in nested for a in p._actions):
            if not action.option_strings:
                words += [str(c) for c in action.choices or []]
                posts = posts or action.metavar == "POST"
            elif all(n not in o.names for o in options for n in action.option_strings):
                options.append(Option(
                    list(action.option_strings), (action.help or "").replace("%%", "%"),
                    value=action.nargs != 0, choices=[str(c) for c in action.choices or []],
                    folder=action.metavar in ("OUTDIR", "DIR"),
                    number=action.metavar in ("N", "SECONDS")))
        found.append(Command(name, helps.get(name, ""), options, words, posts))
    return found


def bash(parser: argparse.ArgumentParser) -> str:
    cmds = commands(parser)
    cases, value_cases = [], []
    for c in cmds:
        flags = " ".join(n for o in c.options for n in o.names)
        files = ('_mdpaper_posts "$cur"' if c.posts else
                 'COMPREPLY+=($(compgen -d -- "$cur"))' if c.name == "hugo" else ":")
        cases.append(f"        {c.name}) if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "
                     f"{shlex.quote(flags)} -- \"$cur\")); else COMPREPLY=($(compgen -W "
                     f"{shlex.quote(' '.join(c.words))} -- \"$cur\")); {files}; fi ;;")
        for o in c.options:
            if not o.value:
                continue
            pattern = "|".join(f'"{c.name} {n}"' for n in o.names)
            action = (f"COMPREPLY=($(compgen -W {shlex.quote(' '.join(o.choices))} -- "
                      '"$cur"))' if o.choices else
                      'COMPREPLY=($(compgen -d -- "$cur"))' if o.folder else
                      ":" if o.number else 'COMPREPLY=($(compgen -f -- "$cur"))')
            value_cases.append(f"        {pattern}) {action}; return ;;")
    names = " ".join(c.name for c in cmds)
    return "\n".join([
        "# mdpaper completion for bash (mdpaper completion bash)",
        "_mdpaper_posts() {",
        '    COMPREPLY+=($(compgen -d -- "$1") $(compgen -f -X \'!*.md\' -- "$1"))',
        "}",
        "_mdpaper() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
        '    local cmd="${COMP_WORDS[1]}"',
        "    COMPREPLY=()",
        "    if [[ $COMP_CWORD -eq 1 ]]; then",
        f'        COMPREPLY=($(compgen -W "{names} --version --help" -- "$cur")); return',
        "    fi",
        '    case "$cmd $prev" in', *value_cases, "    esac",
        '    case "$cmd" in', *cases, "    esac",
        "}",
        "complete -o filenames -F _mdpaper mdpaper", ""])


def zsh(parser: argparse.ArgumentParser) -> str:
    # zsh runs bash completion functions through its bashcompinit module: one script, one
    # behaviour in both shells.
    return ("# mdpaper completion for zsh: add  source <(mdpaper completion zsh)  to ~/.zshrc\n"
            "autoload -U +X compinit && compinit\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + bash(parser))


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish(parser: argparse.ArgumentParser) -> str:
    cmds = commands(parser)
    names = " ".join(c.name for c in cmds)
    lines = ["# mdpaper completion for fish (mdpaper completion fish)",
             "complete -c mdpaper -f",
             "complete -c mdpaper -n __fish_use_subcommand -l version -d 'print the version'"]
    for c in cmds:
        lines.append(f"complete -c mdpaper -n 'not __fish_seen_subcommand_from {names}' "
                     f"-a {c.name} -d {_fish_quote(c.help)}")
        when = f"-n '__fish_seen_subcommand_from {c.name}'"
        if c.words:
            lines.append(f"complete -c mdpaper {when} -a {_fish_quote(' '.join(c.words))}")
        if c.posts or c.name == "hugo":
            lines.append(f"complete -c mdpaper {when} -F")
        for o in c.options:
            flags = " ".join(f"-l {n[2:]}" if n.startswith("--") else f"-s {n[1:]}"
                             for n in o.names)
            value = (f" -x -a {_fish_quote(' '.join(o.choices))}" if o.choices else
                     " -x" if o.number else " -r -F" if o.value else "")
            lines.append(f"complete -c mdpaper {when} {flags}{value} "
                         f"-d {_fish_quote(o.help.split(' (')[0][:60])}")
    return "\n".join(lines) + "\n"


SHELLS = {"bash": bash, "zsh": zsh, "fish": fish}


def run(args: argparse.Namespace) -> int:
    print(SHELLS[args.shell](make_parser()), end="")
    return 0
