/** Dependencies point one way: domain <- machines <- actors (<- streams) <- (store, inspector) <- cli; venues and config over domain only. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain imports no other folder of src and no I/O',
      from: { path: '^src/domain' },
      to: { path: '^src/(?!domain)' },
    },
    {
      name: 'domain-no-io',
      severity: 'error',
      from: { path: '^src/domain' },
      to: { dependencyTypes: ['core', 'npm'], pathNot: '^node_modules/decimal\\.js' },
    },
    {
      name: 'machines-only-domain',
      severity: 'error',
      comment: 'machines import domain only (and xstate, decimal.js)',
      from: { path: '^src/machines' },
      to: { path: '^src/(?!domain|machines)' },
    },
    {
      name: 'machines-no-io',
      severity: 'error',
      from: { path: '^src/machines' },
      to: { dependencyTypes: ['core', 'npm'], pathNot: '^node_modules/(xstate|decimal\\.js)' },
    },
    {
      name: 'streams-over-domain',
      severity: 'error',
      comment: 'price streams know prices and the domain, not actors',
      from: { path: '^src/streams' },
      to: { path: '^src/(?!domain|streams)' },
    },
    {
      name: 'actors-over-machines',
      severity: 'error',
      comment: 'actors wire machines to streams; storage, venues and pages sit above them',
      from: { path: '^src/actors' },
      to: { path: '^src/(?!domain|machines|streams|actors|telemetry)' },
    },
    {
      name: 'store-over-actors',
      severity: 'error',
      from: { path: '^src/store' },
      to: { path: '^src/(cli|inspector|venues|streams)' },
    },
    {
      name: 'venues-over-domain',
      severity: 'error',
      from: { path: '^src/venues' },
      to: { path: '^src/(?!domain|venues|telemetry)' },
    },
    {
      name: 'inspector-reads-only',
      severity: 'error',
      from: { path: '^src/inspector' },
      to: { path: '^src/(cli|store|venues)' },
    },
    {
      name: 'config-no-runtime',
      severity: 'error',
      comment: 'config validates input and depends only on domain',
      from: { path: '^src/config' },
      to: { path: '^src/(?!domain|config)' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { path: '^src/(?!cli)' },
      to: { path: '^src/cli' },
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
