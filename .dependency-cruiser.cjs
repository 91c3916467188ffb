/**
 * Dependencies point one way: domain <- machines <- (replay, inspection) <- engine <- cli.
 * streams, venues, store, config and telemetry sit beside that chain: each over domain (store
 * also over machines, whose snapshots it keeps), none importing another (telemetry aside, which
 * anything but domain and machines may log with). engine and cli wire them together; replay,
 * the offline twin of engine, drives streams' lanes and store's checkpoints too. inspector
 * serves inspection's records. ccxt is imported by venues and streams' ccxt sources only.
 */
const only = (name, folder, allowed, comment) => ({
  name,
  severity: 'error',
  comment,
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: `^src/(${[folder, ...allowed].join('|')})/` },
});

module.exports = {
  forbidden: [
    only('domain-is-pure', 'domain', [], 'domain imports no other folder of src'),
    {
      name: 'domain-no-io',
      severity: 'error',
      comment: 'domain uses no I/O and no library but decimal.js',
      from: { path: '^src/domain/' },
      to: { dependencyTypes: ['core', 'npm'], pathNot: '^node_modules/decimal\\.js' },
    },
    only('machines-over-domain', 'machines', ['domain'], 'the statecharts call domain rules only'),
    {
      name: 'machines-no-io',
      severity: 'error',
      comment: 'machines use xstate and decimal.js only: no I/O, no clock',
      from: { path: '^src/machines/' },
      to: { dependencyTypes: ['core', 'npm'], pathNot: '^node_modules/(xstate|decimal\\.js)' },
    },
    only(
      'inspection-over-machines',
      'inspection',
      ['domain', 'machines'],
      'the tap and its records read machines and domain only',
    ),
    only(
      'replay-over-machines',
      'replay',
      ['domain', 'machines', 'inspection', 'streams', 'store', 'telemetry'],
      'the replay driver: machines fed by streams, watched by inspection, checkpointed by store',
    ),
    only(
      'streams-beside',
      'streams',
      ['domain', 'telemetry'],
      'price streams know prices, not actors',
    ),
    only('venues-beside', 'venues', ['domain', 'telemetry'], 'the exchange port and its adapters'),
    only(
      'store-beside',
      'store',
      ['domain', 'machines', 'telemetry'],
      'LevelDB keeps machine snapshots',
    ),
    only('config-beside', 'config', ['domain'], 'config validates input over domain types only'),
    only('telemetry-alone', 'telemetry', [], 'loggers and metrics import nothing of src'),
    only(
      'inspector-over-inspection',
      'inspector',
      ['domain', 'machines', 'inspection', 'telemetry'],
      'the page and its server show inspection records and the machine drawing',
    ),
    {
      name: 'only-cli-imports-engine',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(engine|cli)/' },
      to: { path: '^src/engine/' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'ccxt-in-adapters',
      severity: 'error',
      comment: 'ccxt types never travel past venues and the ccxt price sources',
      from: {
        path: '^src/',
        pathNot: '^src/(venues/|streams/(ccxtWatchSource|restPollingSource)\\.ts$)',
      },
      to: { path: '(^|/)node_modules/ccxt/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
