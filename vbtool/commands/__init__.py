"""The command layer: click commands, one module per command or family of commands.

Only this package and ``vbtool.cli`` import click. A command parses options, calls
domain code (which knows nothing of click), prints the results and maps failures to
exit codes. ``vbtool.cli.LazyGroup.LAZY`` names each command as
``"vbtool.commands.<module>:<function>"`` so that it is imported only when used.
"""
