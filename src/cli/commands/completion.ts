// `kubeharden completion bash|zsh|fish`: shell completion scripts generated from the command
// tree itself, so every command, option and choice that --help shows is completed, and a new
// option needs no second edit here.

import { Command, Option } from 'commander';
import { UsageError } from '../usage-error.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];
/** The names the scripts complete: the CLI and the kubectl plugin binary. */
const PROGRAMS = ['kubeharden', 'kubectl-kubeharden'];

interface Node {
  /** Subcommand path below the program, e.g. ['rbac', 'who-can']. */
  path: string[];
  description: string;
  subcommands: string[];
  options: { flags: string[]; description: string; choices?: string[]; takesValue: boolean }[];
}

function walk(command: Command, path: string[] = []): Node[] {
  const options = command.options.map((o: Option) => ({
    flags: [o.long, o.short].filter((f): f is string => !!f),
    description: o.description,
    choices: o.argChoices,
    takesValue: o.required || o.optional,
  }));
  options.push({ flags: ['--help', '-h'], description: 'display help', choices: undefined, takesValue: false });
  const subs = command.commands.filter((c) => c.name() !== 'help');
  const self: Node = { path, description: command.description(), subcommands: subs.map((c) => c.name()), options };
  return [self, ...subs.flatMap((c) => walk(c, [...path, c.name()]))];
}

export function completionScript(program: Command, shell: Shell): string {
  const nodes = walk(program);
  if (shell === 'fish') return fishScript(nodes);
  const bash = bashScript(nodes);
  // zsh runs the bash function through its bash-completion emulation: one logic, two shells.
  return shell === 'zsh' ? `#compdef ${PROGRAMS.join(' ')}\nautoload -U +X bashcompinit && bashcompinit\n${bash}` : bash;
}

function bashScript(nodes: Node[]): string {
  const cases = nodes.map((n) => {
    const key = n.path.join(' ');
    const flags = n.options.flatMap((o) => o.flags).join(' ');
    const valueCases = n.options
      .filter((o) => o.takesValue)
      .map((o) => `        ${o.flags.join('|')}) ${o.choices ? `COMPREPLY=($(compgen -W ${quote(o.choices.join(' '))} -- "$cur"))` : 'COMPREPLY=($(compgen -f -- "$cur"))'}; return ;;`)
      .join('\n');
    return `    ${quote(key)})\n      case "$prev" in\n${valueCases}\n      esac\n      subs=${quote(n.subcommands.join(' '))}; flags=${quote(flags)} ;;`;
  });
  const commandWords = nodes.filter((n) => n.path.length).map((n) => n.path.join(' '));
  return `# kubeharden shell completion (bash). Load with: source <(kubeharden completion bash)
_kubeharden() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmdpath="" subs="" flags="" i w
  # The subcommand path (not "path": zsh ties that name to PATH): the leading words that name commands.
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) break ;; esac
    case " ${commandWords.map((c) => c.replace(/ /g, '_')).join(' ')} " in
      *" \${cmdpath:+\${cmdpath// /_}_}$w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;;
      *) break ;;
    esac
  done
  case "$cmdpath" in
${cases.join('\n')}
  esac
  # Options after a dash; subcommands where the command has them; files (paths to scan) otherwise.
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n "$subs" ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
  return 0
}
complete -o filenames -F _kubeharden ${PROGRAMS.join(' ')}
`;
}

function fishScript(nodes: Node[]): string {
  const lines = ['# kubeharden shell completion (fish). Load with: kubeharden completion fish | source'];
  for (const program of PROGRAMS) {
    for (const n of nodes) {
      // Fish has no notion of a command path; "this path seen, and no further subcommand of it".
      const seen = n.path.map((p) => `__fish_seen_subcommand_from ${p}`);
      const notDeeper = n.subcommands.length ? [`not __fish_seen_subcommand_from ${n.subcommands.join(' ')}`] : [];
      const cond = n.path.length ? [...seen, ...notDeeper].join('; and ') : '__fish_use_subcommand';
      for (const sub of n.subcommands) {
        const child = nodes.find((c) => c.path.join(' ') === [...n.path, sub].join(' '));
        lines.push(`complete -c ${program} -n ${quote(cond)} -f -a ${sub} -d ${quote(firstLine(child?.description ?? ''))}`);
      }
      for (const o of n.options) {
        const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
        const short = o.flags.find((f) => /^-[^-]$/.test(f))?.slice(1);
        const parts = [`complete -c ${program} -n ${quote(n.path.length ? seen.join('; and ') : '__fish_use_subcommand')}`];
        if (long) parts.push(`-l ${long}`);
        if (short) parts.push(`-s ${short}`);
        if (o.takesValue) parts.push(o.choices ? `-x -a ${quote(o.choices.join(' '))}` : '-r');
        parts.push(`-d ${quote(firstLine(o.description))}`);
        lines.push(parts.join(' '));
      }
    }
  }
  return lines.join('\n') + '\n';
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 120);
}

/** Single-quoted for sh and fish. */
function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', SHELLS.join(', '))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(kubeharden completion bash)                 in ~/.bashrc
  $ kubeharden completion zsh > "\${fpath[1]}/_kubeharden"   then restart zsh
  $ kubeharden completion fish > ~/.config/fish/completions/kubeharden.fish`,
    )
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell ${shell}; one of ${SHELLS.join(', ')}`);
      // The root command, whatever name it was started as.
      let root: Command = program;
      while (root.parent) root = root.parent;
      process.stdout.write(completionScript(root, shell as Shell));
    });
}
