/** One instruction of a Dockerfile after joining continuation lines. */
export interface DockerInstruction {
  /** Upper-case keyword, e.g. `COPY`. */
  keyword: string;
  /** Everything after the keyword. */
  args: string;
  /** 1-based line of the instruction's first line. */
  line: number;
}

export interface DockerStage {
  /** Base image or earlier stage. */
  from: string;
  /** `AS <name>`, lower-cased. */
  name?: string;
  instructions: DockerInstruction[];
}

export interface CopySource {
  /** Source paths relative to the build context. */
  sources: string[];
  /** `--from=<stage|image>` when it copies from another stage or image instead of the context. */
  from?: string;
  line: number;
}

/**
 * Splits a Dockerfile into instructions: joins `\` continuations (the default escape character), drops
 * comments and blank lines, keeps heredoc bodies out of the instruction stream.
 */
export function parseDockerfile(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  const instructions: DockerInstruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = index;
    let line = lines[index++] ?? '';
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && index < lines.length) {
      const next = lines[index++] ?? '';
      if (/^\s*#/.test(next)) continue; // comments inside continuations are removed by Docker too
      line = line.replace(/\\\s*$/, ' ') + next;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(line);
    if (!match) throw new Error(`line ${start + 1}: cannot parse "${line}"`);
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    instructions.push({ keyword, args, line: start + 1 });
    const heredoc = /<<-?\s*["']?([A-Za-z_]\w*)["']?/.exec(args);
    if (heredoc && (keyword === 'RUN' || keyword === 'COPY')) {
      while (index < lines.length && (lines[index] ?? '').trim() !== heredoc[1]) index++;
      index++;
    }
  }
  return instructions;
}

/** Groups instructions into build stages (instructions before the first FROM, i.e. ARGs, are dropped). */
export function dockerStages(instructions: readonly DockerInstruction[]): DockerStage[] {
  const stages: DockerStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({
        from: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1]?.toLowerCase() : undefined,
        instructions: [],
      });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** Splits shell-form arguments on whitespace, or parses the JSON (exec) form. */
function splitArguments(args: string): string[] {
  if (args.startsWith('[')) return JSON.parse(args) as string[];
  return args.split(/\s+/).filter(Boolean);
}

/** Sources of a COPY/ADD instruction (the last word is the destination). */
export function copySources(instruction: DockerInstruction): CopySource {
  const words = instruction.args.split(/\s+/);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith('--')) {
    const [flag, value = ''] = (words.shift() as string).slice(2).split('=', 2) as [string, string?];
    flags.set(flag, value);
  }
  const paths = splitArguments(words.join(' '));
  if (paths.some((p) => p.startsWith('<<'))) return { sources: [], from: 'heredoc', line: instruction.line };
  return { sources: paths.slice(0, -1), from: flags.get('from'), line: instruction.line };
}

/** `LABEL k=v k2="v 2"` pairs of a stage. */
export function labelsOf(stage: DockerStage): Map<string, string> {
  const labels = new Map<string, string>();
  for (const instruction of stage.instructions.filter((i) => i.keyword === 'LABEL')) {
    for (const [, key, quoted, bare] of instruction.args.matchAll(
      /([\w.\-/]+)=(?:"((?:[^"\\]|\\.)*)"|(\S+))/g,
    )) {
      labels.set(key as string, quoted ?? bare ?? '');
    }
  }
  return labels;
}

/** The effective USER of a stage (last USER instruction), if any. */
export function userOf(stage: DockerStage): string | undefined {
  return stage.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
}

/** ENTRYPOINT of a stage as an argument list. */
export function entrypointOf(stage: DockerStage): string[] | undefined {
  const instruction = stage.instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
  return instruction ? splitArguments(instruction.args) : undefined;
}
