"""PowerShell completion (`ant completion pwsh`), in click's completion protocol as its bash, zsh and
fish classes speak it: the script sets `_ANT_COMPLETE=pwsh_complete` and runs `ant`, which answers
with one candidate per line instead of running a command.

The script passes the command line up to the cursor in COMP_WORDS (PowerShell gives no word index);
a line ending in a space means a new, empty word is being completed. Each answer line is
`TYPE<TAB>VALUE<TAB>HELP`, TYPE being click's plain, file or dir.
"""

from __future__ import annotations

import os

from click.shell_completion import CompletionItem, ShellComplete, split_arg_string

_SOURCE_PWSH = """\
# PowerShell completion for %(prog_name)s: dot-source this file, e.g. from your $PROFILE.
Register-ArgumentCompleter -Native -CommandName %(prog_name)s -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    # Only the words before the cursor count, as in bash's COMP_WORDS.
    $line = $commandAst.ToString()
    $end = [Math]::Max(0, [Math]::Min($line.Length, $cursorPosition - $commandAst.Extent.StartOffset))
    $savedInstruction = $env:%(complete_var)s
    $savedWords = $env:COMP_WORDS
    try {
        $env:%(complete_var)s = 'pwsh_complete'
        $env:COMP_WORDS = $line.Substring(0, $end)
        $reply = @(& %(prog_name)s 2>$null)
    } finally {
        $env:%(complete_var)s = $savedInstruction
        $env:COMP_WORDS = $savedWords
    }
    foreach ($answer in $reply) {
        $kind, $value, $help = $answer -split "`t", 3
        if ($kind -eq 'file' -or $kind -eq 'dir') {
            Get-ChildItem -Path "$value*" -Directory:($kind -eq 'dir') -ErrorAction SilentlyContinue |
                ForEach-Object {
                    $path = $_.Name
                    if ($value -match '[\\/]') { $path = Join-Path (Split-Path $value) $_.Name }
                    [System.Management.Automation.CompletionResult]::new($path, $_.Name, 'ProviderItem', $_.FullName)
                }
        } elseif ($value) {
            $text = $value
            # quoted where PowerShell would read the text otherwise (@name splats, $ expands, ...)
            if ($value -match '[\\s''"`$;,(){}|&<>@#]') {
                $text = "'" + $value.Replace("'", "''") + "'"
            }
            if (-not $help) { $help = $value }
            [System.Management.Automation.CompletionResult]::new($text, $value, 'ParameterValue', $help)
        }
    }
}
"""


class PwshComplete(ShellComplete):
    """Shell completion for PowerShell (pwsh 7 and Windows PowerShell 5.1)."""

    name = "pwsh"
    source_template = _SOURCE_PWSH

    def get_completion_args(self) -> tuple[list[str], str]:
        line = os.environ.get("COMP_WORDS", "")
        words = split_arg_string(line)
        incomplete = words.pop() if words and not line[-1:].isspace() else ""
        return words[1:], incomplete

    def format_completion(self, item: CompletionItem) -> str:
        # one line per candidate: tabs and line breaks in help would break the framing
        help_text = " ".join((item.help or "").split())
        return f"{item.type}\t{item.value}\t{help_text}"
