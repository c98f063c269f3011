/**
 * `npm run chaos -- [options]` (every option in usage(), printed by --help): runs (or only
 * prints) the chaos schedule of each of the profile's seeds (S, S+1, …) and writes the reports;
 * --cleanup-only removes what crashed runs left behind.
 * Exit code 0 = every correctness check passed (and, with --strict-targets, every timing target),
 * 1 = one failed, 2 = usage error. Timing is opt-in because a loaded shared host misses it.
 */
import { randomInt } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { reportBase, writeReports, DEFAULT_RESULTS_DIR, seedsSummaryMarkdown, summaryMarkdown, targetResults, type SeedOutcome } from './report.js'
import { removeLeftovers } from './net.js'
import { runChaos } from './runner.js'
import { buildSchedule, describeSchedule, FAULT_KINDS, narrowProfile, parseKinds, PROFILES, replayCommand, runSeeds } from './schedule.js'

/** What `--help` prints: every option, the profiles as they are defined, and the exit codes. */
function usage (): string {
  const profiles = Object.values(PROFILES).map(p =>
    `                            ${p.name}: ${p.nodes} nodes, ${p.rounds} rounds of ${p.dwellMs / 1000} s, ${p.clients} workload clients, ${p.seeds} seed${p.seeds === 1 ? '' : 's'}\n`).join('')
  return 'usage: npm run chaos -- [options]\n' +
    '  --seed S                the run\'s seed (default: a random one, printed); a seed replays its schedule\n' +
    `  --profile P             ${Object.keys(PROFILES).join(' | ')} (default ci):\n` + profiles +
    `  --kinds k1,k2           only these fault kinds (${FAULT_KINDS.join(', ')})\n` +
    '  --rounds N              this many rounds instead of the profile\'s\n' +
    '  --clients N             this many workload clients instead of the profile\'s (0: only the latency probe writes)\n' +
    '  --seeds N               this many seeds (S, S+1, …, each on a fresh cluster) instead of the profile\'s\n' +
    `  --out DIR               where the reports and node logs go (default ${DEFAULT_RESULTS_DIR})\n` +
    '  --schedule-only         print each seed\'s fault schedule and exit\n' +
    '  --cleanup-only          remove what crashed runs left behind (processes, namespaces, links, run dirs) and exit\n' +
    '  --no-netns              no network namespaces, even as root: the network faults are skipped, and the report says so\n' +
    '  --disable-anti-entropy  a deliberately broken cluster that cannot repair a lost frame: the suite must fail\n' +
    '  --strict-targets        a missed timing target fails the run as well\n' +
    'exit code: 0 every correctness check passed (with --strict-targets, every timing target too), 1 one failed, 2 usage error\n'
}

/** An integer option of at least `min`, undefined when absent; throws what the usage error says. */
function intOption (name: string, text: string | undefined, min: 0 | 1): number | undefined {
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`--${name} must be a ${min === 0 ? 'non-negative' : 'positive'} integer`)
  return n
}

async function main (argv: string[]): Promise<number> {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        profile: { type: 'string', default: 'ci' },
        out: { type: 'string', default: DEFAULT_RESULTS_DIR },
        'schedule-only': { type: 'boolean', default: false },
        'cleanup-only': { type: 'boolean', default: false },
        'no-netns': { type: 'boolean', default: false },
        'disable-anti-entropy': { type: 'boolean', default: false },
        'strict-targets': { type: 'boolean', default: false },
        kinds: { type: 'string' },
        rounds: { type: 'string' },
        clients: { type: 'string' },
        seeds: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false }
      }
    }).values
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    return 2
  }
  if (values.help) {
    process.stdout.write(usage())
    return 0
  }
  const named = PROFILES[values.profile]
  if (named === undefined) {
    process.stderr.write(`error: unknown profile "${values.profile}" (${Object.keys(PROFILES).join(', ')})\n`)
    return 2
  }
  let seed, kinds, rounds, clients, seedCount
  try {
    seed = intOption('seed', values.seed, 0) ?? randomInt(2 ** 31)
    kinds = values.kinds === undefined ? undefined : parseKinds(values.kinds)
    rounds = intOption('rounds', values.rounds, 1)
    clients = intOption('clients', values.clients, 0)
    seedCount = intOption('seeds', values.seeds, 1)
  } catch (err) {
    process.stderr.write(`error: ${(err as Error).message}\n`)
    return 2
  }
  const over = { kinds, rounds, clients, seeds: seedCount }
  const profile = narrowProfile(named, over)
  const seeds = runSeeds(profile, seed)
  // Each seed of several replays on its own.
  const replayOf = (s: number): string => replayCommand(named.name, s, seeds.length > 1 ? { ...over, seeds: 1 } : over)
  const log = (line: string): void => { process.stdout.write(`[chaos] ${line}\n`) }
  if (values['cleanup-only']) {
    await removeLeftovers(log)
    return 0
  }
  if (values['schedule-only']) {
    process.stdout.write(seeds.map(s => describeSchedule(profile, s, buildSchedule(profile, s), replayOf(s))).join('\n\n') + '\n')
    return 0
  }
  if (seeds.length > 1) log(`${seeds.length} seeds, one after another on a fresh cluster each: ${seeds.join(', ')} (replay all: ${replayCommand(named.name, seed, over)})`)
  const outcomes: SeedOutcome[] = []
  for (const s of seeds) {
    let result
    try {
      result = await runChaos({ profile, seed: s, log, replay: replayOf(s), noNetns: values['no-netns'], disableAntiEntropy: values['disable-anti-entropy'], handleSignals: true, logDir: reportBase(values.out, profile.name, s) + '-logs' })
    } catch (err) {
      // The harness itself broke (e.g. a node never came up): no verdict, but say how to replay.
      process.stderr.write(`error: chaos run aborted: ${(err as Error).message}\nreplay: ${replayOf(s)}\n`)
      outcomes.push({ seed: s, aborted: (err as Error).message, replay: replayOf(s) })
      continue
    }
    const paths = writeReports(result, values.out)
    process.stdout.write('\n' + summaryMarkdown(result) + '\n')
    process.stdout.write(`reports: ${paths.markdown}, ${paths.html}, ${paths.json}; node logs: ${reportBase(values.out, profile.name, s)}-logs/\n`)
    outcomes.push({ seed: s, result, report: paths.markdown })
  }
  if (seeds.length > 1) {
    const summary = seedsSummaryMarkdown(profile.name, outcomes)
    const path = `${reportBase(values.out, profile.name, seeds[0])}-to-${seeds[seeds.length - 1]}.md`
    mkdirSync(values.out, { recursive: true })
    writeFileSync(path, summary)
    process.stdout.write('\n' + summary + '\n' + `summary of the seeds: ${path}\n`)
  }
  const strict = values['strict-targets']
  return outcomes.every(o => 'result' in o && o.result.ok && (!strict || targetResults(o.result).every(t => t.ok))) ? 0 : 1
}

process.exit(await main(process.argv.slice(2)))
