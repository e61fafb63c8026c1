import type { Command, Option } from 'commander';
import { REGISTRY_KINDS } from '@frugal/core';
import { PRECISIONS } from './precision.js';
import { UsageError } from './usage-error.js';

export const SHELLS = ['bash', 'zsh'] as const;

/** Words each command completes to: its flags, and for `list` the registry kinds. */
function wordsOf(program: Command): Record<string, string[]> {
  const flags = (options: readonly Option[]) => options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  const words: Record<string, string[]> = { '': [...new Set([...program.commands.map((c) => c.name()), ...flags(program.options), '--help'])] };
  for (const command of program.commands) {
    words[command.name()] = [...flags(command.options), '--help', ...(command.name() === 'list' ? REGISTRY_KINDS : []), ...(command.name() === 'completion' ? SHELLS : [])];
  }
  return words;
}

/**
 * A completion script for `shell`, made from the command's own definition so that it never
 * drifts: commands, each command's flags, `list` kinds; files everywhere else.
 * bash: `source <(frugal completion bash)`; zsh: `source <(frugal completion zsh)`.
 */
export function completionScript(program: Command, shell: string): string {
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`Unknown shell "${shell}" for frugal completion; choose one of ${SHELLS.join(', ')} (e.g. source <(frugal completion bash))`);
  }
  // Flags before the command that take a value (`--threads 2`): their value is not the command.
  const valued = program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter(Boolean));
  const cases = Object.entries(wordsOf(program))
    .filter(([name]) => name !== '')
    .map(([name, words]) => `    ${name}) words="${words.join(' ')}" ;;`)
    .join('\n');
  const bash = `# frugal completion (bash): source <(frugal completion bash), or save it under ~/.local/share/bash-completion/completions/frugal
_frugal_complete() {
  # bash counts words from 0; zsh's bashcompinit hands over COMP_WORDS counted from 1.
  local base=0
  [[ -n "\${ZSH_VERSION-}" ]] && base=1
  local cur="\${COMP_WORDS[COMP_CWORD + base]}" command="" words i
  for ((i = 1 + base; i < COMP_CWORD + base; i++)); do
    case "\${COMP_WORDS[i]}" in
      ${valued.join('|')}) ((i++)) ;;
      -*) ;;
      *) command="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "\${COMP_WORDS[COMP_CWORD + base - 1]}" in
    --precision) [[ -z "$command" ]] && COMPREPLY=($(compgen -W "${PRECISIONS.join(' ')}" -- "$cur")) && return ;;
  esac
  case "$command" in
    "") words="${wordsOf(program)['']!.join(' ')}" ;;
${cases}
    *) words="" ;;
  esac
  if [[ -z "$command" || "$cur" == -* || "$command" == list || "$command" == completion ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  fi
  if [[ \${#COMPREPLY[@]} -eq 0 && -n "$command" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F _frugal_complete frugal
`;
  if (shell === 'bash') return bash;
  return `# frugal completion (zsh): source <(frugal completion zsh), e.g. from ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash.split('\n').slice(1).join('\n')}`;
}
